import { RequestApprovalInputSchema, RequestApprovalOutputSchema } from '../../schemas/tasks/request-approval.js';
import { defineTask } from '../_shared/define-task.js';
import { requestApproval } from './request-approval.js';

/** Lambda handler of the `request-approval` task. */
export const handler = defineTask({
  id: 'request-approval',
  input: RequestApprovalInputSchema,
  output: RequestApprovalOutputSchema,
  run: (input, context) => requestApproval(input, context),
});
