/**
 * Where a run stands on its approval, read from its history alone (pure, unit-tested): the open
 * "Await approval" request with its task token, what the run asked for (required approvers,
 * whether the starter may approve, the deadline), who has approved, and who started it.
 *
 * The token is found where Step Functions records it: the `TaskScheduled` event's parameters
 * (`Payload.context.taskToken`) of the newest "Await approval" attempt that has not ended
 * (docs/decisions/0015-approval.md). It is used for one SendTask* call and never printed.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { RequestApprovalInputSchema, type RequestApprovalInput } from '../schemas/tasks/request-approval.js';

/** The state that waits for approvals (workflows/failover/approval.ts). */
export const AWAIT_APPROVAL_STATE = 'Await approval';

/** An approval request waiting for an answer. */
export interface OpenApprovalRequest {
  /** The task token to answer (secret-ish: never print it). */
  readonly taskToken: string;
  /** What the run sent to `request-approval` for this round. */
  readonly request: RequestApprovalInput;
}

/** Where the run is with its approvals. */
export type ApprovalStanding =
  | { readonly kind: 'waiting'; readonly open: OpenApprovalRequest }
  | { readonly kind: 'not-waiting'; readonly currentState?: string; readonly hasApprovalStep: boolean };

/**
 * Reads the history of a RUNNING execution: `waiting` with the open request, or `not-waiting`
 * with the state it is in (and whether it ever asked for approval).
 */
export function approvalStanding(events: readonly HistoryEvent[]): ApprovalStanding {
  let currentState: string | undefined;
  let inApproval = false;
  let hasApprovalStep = false;
  let scheduled: { token: string; request: unknown } | undefined;
  let isOpen = false;
  for (const e of events) {
    const type = e.type ?? '';
    if (type.endsWith('StateEntered')) {
      currentState = e.stateEnteredEventDetails?.name;
      inApproval = currentState === AWAIT_APPROVAL_STATE;
      if (inApproval) hasApprovalStep = true;
      isOpen = false;
      scheduled = undefined;
    } else if (type.endsWith('StateExited')) {
      if (e.stateExitedEventDetails?.name === AWAIT_APPROVAL_STATE) inApproval = false;
      isOpen = false;
    } else if (inApproval && type === 'TaskScheduled') {
      scheduled = readScheduled(e.taskScheduledEventDetails?.parameters);
      isOpen = scheduled !== undefined;
    } else if (inApproval && (type === 'TaskSucceeded' || type === 'TaskFailed' || type === 'TaskTimedOut' || type === 'TaskStartFailed' || type === 'TaskSubmitFailed')) {
      isOpen = false;
    }
  }
  if (inApproval && isOpen && scheduled !== undefined) {
    const parsed = RequestApprovalInputSchema.safeParse(scheduled.request);
    if (parsed.success) return { kind: 'waiting', open: { taskToken: scheduled.token, request: parsed.data } };
  }
  return { kind: 'not-waiting', ...(currentState === undefined ? {} : { currentState }), hasApprovalStep };
}

function readScheduled(parameters: string | undefined): { token: string; request: unknown } | undefined {
  if (parameters === undefined) return undefined;
  try {
    const p = JSON.parse(parameters) as { Payload?: { task?: unknown; context?: { taskToken?: unknown }; input?: unknown } };
    const token = p.Payload?.context?.taskToken;
    if (p.Payload?.task !== 'request-approval' || typeof token !== 'string' || token === '') return undefined;
    return { token, request: p.Payload.input };
  } catch {
    return undefined;
  }
}
