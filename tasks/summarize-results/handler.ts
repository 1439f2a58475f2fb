import { SummarizeResultsInputSchema, SummarizeResultsOutputSchema } from '../../schemas/tasks/summarize-results.js';
import { defineTask } from '../_shared/define-task.js';
import { summarizeResults } from './summarize-results.js';

/** Lambda handler of the `summarize-results` task. */
export const handler = defineTask({ id: 'summarize-results', input: SummarizeResultsInputSchema, output: SummarizeResultsOutputSchema, run: summarizeResults });
