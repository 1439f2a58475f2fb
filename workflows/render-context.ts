import type { TaskId } from '../schemas/tasks/index.js';

/**
 * Binds a task id to the function ARN a Task state invokes: infra returns a CDK substitution
 * (`${TaskArn_launch_in_region}`), the sandbox a local ARN. A workflow never imports task code.
 */
export type TaskArns = (id: TaskId) => string;
