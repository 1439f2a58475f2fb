import { CollectInputSchema, CollectOutputSchema } from '../../schemas/tasks/collect.js';
import { defineTask } from '../_shared/define-task.js';
import { collect } from './collect.js';

/** The `collect` Lambda: removes what finished runs left behind (docs/contracts.md, "Collector"). */
export const handler = defineTask({ id: 'collect', input: CollectInputSchema, output: CollectOutputSchema, run: collect });
