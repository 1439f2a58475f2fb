import * as z from 'zod';
import { TASK_ID_LIST } from './ids.js';

export { TASK_IDS, TASK_TIMEOUT_SECONDS, type TaskId } from './ids.js';

/** Every task's id as a zod enum (the ids themselves are in `ids.ts`, which loads no zod). */
export const TaskIdSchema = z.enum(TASK_ID_LIST);

