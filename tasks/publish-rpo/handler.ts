import { PublishRpoInputSchema, PublishRpoOutputSchema } from '../../schemas/tasks/publish-rpo.js';
import { defineTask } from '../_shared/define-task.js';
import { publishRpo } from './publish-rpo.js';

/** Lambda handler of the `publish-rpo` task. */
export const handler = defineTask({ id: 'publish-rpo', input: PublishRpoInputSchema, output: PublishRpoOutputSchema, run: publishRpo });
