/**
 * Reading a plan file for the CLI: a missing file or invalid JSON is bad input (exit 2); a plan
 * that fails validation carries every issue (`<file> › <path>: expected …, found …`).
 */
import { readFile } from 'node:fs/promises';
import type { Plan } from '../schemas/plan.js';
import { UsageError } from './errors.js';

/** A plan file read from disk and parsed as JSON, not yet validated. */
export interface PlanDocument {
  /** The path as the user gave it (used in messages). */
  readonly source: string;
  /** The parsed JSON. */
  readonly json: unknown;
}

/**
 * Reads a plan file and parses its JSON.
 *
 * @param command the command as typed, for messages
 * @throws UsageError when the file cannot be read or is not JSON
 */
export async function readPlanDocument(file: string, command: string): Promise<PlanDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`${command}: cannot read plan ${JSON.stringify(file)}: ${why}`, {
      hint: 'pass the path of a plan JSON file, e.g. examples/small.plan.json',
      cause: error,
    });
  }
  try {
    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the JSON.
    return { source: file, json: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    throw new UsageError(`${file}: expected a JSON document, found invalid JSON (${(error as Error).message})`, {
      hint: 'fix the JSON syntax, then run lifeboat plan check again',
      cause: error,
    });
  }
}

/**
 * Reads and validates a plan for a command that needs one (`--plan FILE`).
 *
 * @throws UsageError when the file is missing, not JSON, or not a valid plan (listing every issue)
 */
export async function loadPlan(file: string, command: string): Promise<Plan> {
  const document = await readPlanDocument(file, command);
  // The plan's schemas (zod) load only for a command given a plan: `history` without --plan never builds them.
  const { PlanError, formatPlanIssue, parsePlan } = await import('../schemas/plan.js');
  try {
    return parsePlan(document.json, document.source);
  } catch (error) {
    if (error instanceof PlanError) {
      throw new UsageError(
        `${command}: the plan is not valid:\n${error.issues.map((issue) => `  ${formatPlanIssue(document.source, issue)}`).join('\n')}`,
        { hint: `run 'lifeboat plan check ${file}' and fix each issue`, cause: error },
      );
    }
    throw error;
  }
}
