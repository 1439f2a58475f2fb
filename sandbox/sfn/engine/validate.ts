import { isIntrinsic, parseIntrinsic } from './intrinsics.js';
import { isReferencePath, parsePath } from './jsonpath.js';

/**
 * Validates an ASL definition and returns every problem, each in AWS's wording
 * (`SCHEMA_VALIDATION_FAILED: … at /States/A`, `MISSING_TRANSITION_TARGET: …`); empty = valid.
 *
 * @see https://states-language.net/spec.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 */
export function validateDefinition(definition: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(definition);
  } catch (err) {
    return [`INVALID_JSON_DESCRIPTION: ${(err as Error).message}`];
  }
  const problems: string[] = [];
  if (!isObj(doc)) return ['SCHEMA_VALIDATION_FAILED: The definition must be a JSON object at /'];
  const topQl = doc.QueryLanguage ?? 'JSONPath';
  if (topQl !== 'JSONPath' && topQl !== 'JSONata') problems.push(`SCHEMA_VALIDATION_FAILED: The value of "QueryLanguage" must be "JSONPath" or "JSONata" at /QueryLanguage`);
  if (doc.TimeoutSeconds !== undefined && !isNonNegInt(doc.TimeoutSeconds)) problems.push('SCHEMA_VALIDATION_FAILED: The field "TimeoutSeconds" must be a non-negative integer at /TimeoutSeconds');
  labelsSeen = new Set();
  validateGraph(doc, '', topQl as string, problems, new Set());
  return problems;
}

type Obj = Record<string, unknown>;

/** Labels of Distributed Map states met so far in the definition being validated (unique per definition). */
let labelsSeen = new Set<string>();

/**
 * Fields only a Distributed Map accepts (an inline Map with them is refused). An inline Map may
 * carry `ToleratedFailure…` fields, which do nothing (recorded on AWS: localstack
 * test_base_evaluate_expressions, TOLERATED_FAILURE_*), and `Label`, which is ignored.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter'];
const ITEM_READER_RESOURCES = ['arn:aws:states:::s3:getObject', 'arn:aws:states:::s3:listObjectsV2'];
const INPUT_TYPES = ['JSON', 'JSONL', 'CSV', 'MANIFEST', 'PARQUET'];

const STATE_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);
const COMPARATORS = [
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals', 'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
];
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];
const JSONPATH_ONLY = ['InputPath', 'OutputPath', 'ResultPath', 'Parameters', 'ResultSelector', 'ItemsPath'];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isNonNegInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function validPath(p: unknown, allowContext = true): boolean {
  if (typeof p !== 'string' || !p.startsWith('$')) return false;
  if (/^\$[A-Za-z_]/.test(p)) return true; // a variable
  const path = p.startsWith('$$') ? (allowContext ? p.slice(1) : '') : p;
  if (!path) return false;
  try {
    parsePath(path);
    return true;
  } catch {
    return false;
  }
}

function validateGraph(g: Obj, at: string, ql: string, problems: string[], varsOuter: Set<string>): void {
  // Worded as recorded on AWS (localstack test_sfn_api.snapshot.json, test_sfn_api_validation.snapshot.json):
  // "These fields are required: [States, StartAt] at /".
  const missing = [g.States === undefined || g.States === null ? 'States' : '', g.StartAt === undefined || g.StartAt === null ? 'StartAt' : ''].filter(Boolean);
  if (missing.length) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [${missing.join(', ')}] at ${at || '/'}`);
  if (g.StartAt !== undefined && g.StartAt !== null && typeof g.StartAt !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field "StartAt" must be a string at ${at || '/'}/StartAt`);
  if (!isObj(g.States)) {
    if (!missing.includes('States')) problems.push(`SCHEMA_VALIDATION_FAILED: The field "States" must be an object at ${at || '/'}/States`);
    return;
  }
  const states = g.States;
  const names = Object.keys(states);
  if (typeof g.StartAt === 'string' && !(g.StartAt in states)) {
    problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${g.StartAt} at ${at}/StartAt`);
  }
  const reachable = new Set<string>();
  const targets = (name: string): string[] => {
    const st = states[name];
    if (!isObj(st)) return [];
    const out: string[] = [];
    if (typeof st.Next === 'string') out.push(st.Next);
    if (typeof st.Default === 'string') out.push(st.Default);
    if (Array.isArray(st.Choices)) for (const c of st.Choices) if (isObj(c) && typeof c.Next === 'string') out.push(c.Next);
    if (Array.isArray(st.Catch)) for (const c of st.Catch) if (isObj(c) && typeof c.Next === 'string') out.push(c.Next);
    return out;
  };
  const stack = typeof g.StartAt === 'string' ? [g.StartAt] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (reachable.has(n) || !(n in states)) continue;
    reachable.add(n);
    stack.push(...targets(n));
  }
  for (const name of names) {
    const path = `${at}/States/${name}`;
    const st = states[name];
    if (name.length > 80) problems.push(`SCHEMA_VALIDATION_FAILED: State name is longer than 80 characters at ${path}`);
    if (!isObj(st)) {
      problems.push(`SCHEMA_VALIDATION_FAILED: The state must be a JSON object at ${path}`);
      continue;
    }
    if (typeof g.StartAt === 'string' && g.StartAt in states && !reachable.has(name)) {
      problems.push(`UNREACHABLE_STATE: State "${name}" is not reachable. at ${path}`);
    }
    if (st.QueryLanguage === 'JSONPath' && ql === 'JSONata') {
      // As recorded on AWS (localstack test_sfn_api_validation.snapshot.json, INVALID_DOWNGRADE_QUERY_LANGUAGE).
      problems.push(`SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at ${path}`);
    }
    validateState(name, st, path, (st.QueryLanguage as string | undefined) ?? ql, states, problems, varsOuter);
  }
}

function validateState(name: string, st: Obj, path: string, ql: string, states: Obj, problems: string[], varsOuter: Set<string>): void {
  const type = st.Type;
  if (typeof type !== 'string') {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field "Type" should be non-null at ${path}`);
    return;
  }
  if (!STATE_TYPES.has(type)) {
    // Worded as recorded on AWS (localstack test_state/test_test_state_machine_scenarios.snapshot.json).
    problems.push(`SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at ${path}/Type`);
    return;
  }
  if (st.QueryLanguage !== undefined && st.QueryLanguage !== 'JSONPath' && st.QueryLanguage !== 'JSONata') {
    problems.push(`SCHEMA_VALIDATION_FAILED: The value of "QueryLanguage" must be "JSONPath" or "JSONata" at ${path}/QueryLanguage`);
  }
  const terminal = type === 'Choice' || type === 'Succeed' || type === 'Fail';
  if (!terminal) {
    const hasNext = typeof st.Next === 'string';
    const hasEnd = st.End === true;
    if (hasNext && hasEnd) problems.push(`SCHEMA_VALIDATION_FAILED: The fields "Next" and "End" cannot both be set at ${path}`);
    if (!hasNext && !hasEnd) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Next" should be non-null at ${path}`);
    if (hasNext && !((st.Next as string) in states)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${String(st.Next)} at ${path}/Next`);
  } else if (st.Next !== undefined || st.End !== undefined) {
    problems.push(`SCHEMA_VALIDATION_FAILED: A ${type} state cannot have "Next" or "End" at ${path}`);
  }
  if (ql === 'JSONata') {
    for (const f of JSONPATH_ONLY) if (st[f] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}" is not supported for JSONata states at ${path}/${f}`);
  } else {
    for (const f of JSONATA_ONLY) if (st[f] !== undefined && !(type === 'Choice' && f === 'Output')) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}" is supported only for JSONata states at ${path}/${f}`);
    for (const f of ['InputPath', 'OutputPath']) if (st[f] !== undefined && st[f] !== null && !validPath(st[f])) problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field '${f}' must be a valid JSONPath at ${path}/${f}`);
    if (st.ResultPath !== undefined && st.ResultPath !== null && !(typeof st.ResultPath === 'string' && st.ResultPath.startsWith('$') && !st.ResultPath.startsWith('$$') && isReferencePath(st.ResultPath))) {
      problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid Reference Path at ${path}/ResultPath`);
    }
    for (const f of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign']) if (st[f] !== undefined) validateTemplate(st[f], `${path}/${f}`, problems);
  }
  if (st.Assign !== undefined && !isObj(st.Assign) && !(ql === 'JSONata' && typeof st.Assign === 'string')) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field "Assign" must be an object at ${path}/Assign`);
  }
  if (isObj(st.Assign)) {
    for (const k of Object.keys(st.Assign)) {
      const v = k.endsWith('.$') ? k.slice(0, -2) : k;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) problems.push(`SCHEMA_VALIDATION_FAILED: Invalid variable name "${v}" at ${path}/Assign`);
      if (varsOuter.has(v)) problems.push(`SCHEMA_VALIDATION_FAILED: The variable "${v}" is already assigned in an outer scope at ${path}/Assign`);
    }
  }
  switch (type) {
    case 'Task':
      if (typeof st.Resource !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field "Resource" should be non-null at ${path}`);
      else if (!st.Resource.startsWith('arn:')) problems.push(`SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN at ${path}/Resource`);
      if (st.TimeoutSeconds !== undefined && st.TimeoutSecondsPath !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "TimeoutSeconds" and "TimeoutSecondsPath" cannot both be set at ${path}`);
      if (st.HeartbeatSeconds !== undefined && st.HeartbeatSecondsPath !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "HeartbeatSeconds" and "HeartbeatSecondsPath" cannot both be set at ${path}`);
      for (const f of ['TimeoutSeconds', 'HeartbeatSeconds']) {
        const v = st[f];
        if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0) && !(ql === 'JSONata' && typeof v === 'string' && v.startsWith('{%'))) {
          problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}" must be a positive integer at ${path}/${f}`);
        }
      }
      if (typeof st.TimeoutSeconds === 'number' && typeof st.HeartbeatSeconds === 'number' && st.HeartbeatSeconds >= st.TimeoutSeconds) {
        problems.push(`SCHEMA_VALIDATION_FAILED: The value of "HeartbeatSeconds" must be smaller than "TimeoutSeconds" at ${path}/HeartbeatSeconds`);
      }
      validateRetryCatch(st, path, states, problems);
      break;
    case 'Parallel':
      if (!Array.isArray(st.Branches)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Branches" should be non-null at ${path}`);
      // Recorded on AWS (localstack test_state/test_state_mock_validation.snapshot.json).
      else if (st.Branches.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: Value cannot be empty at ${path}/Branches`);
      else st.Branches.forEach((b, i) => {
        if (!isObj(b)) problems.push(`SCHEMA_VALIDATION_FAILED: A branch must be an object at ${path}/Branches[${i}]`);
        else validateGraph(b, `${path}/Branches[${i}]`, (b.QueryLanguage as string | undefined) ?? ql, problems, withAssigned(varsOuter, st));
      });
      validateRetryCatch(st, path, states, problems);
      break;
    case 'Map': {
      const proc = st.ItemProcessor ?? st.Iterator;
      const key = st.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
      const distributed = isObj(proc) && isObj(proc.ProcessorConfig) && proc.ProcessorConfig.Mode === 'DISTRIBUTED';
      // A Distributed Map's children are executions of their own: they see none of the parent's variables.
      if (!isObj(proc)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ItemProcessor" should be non-null at ${path}`);
      else validateGraph(proc, `${path}/${key}`, (proc.QueryLanguage as string | undefined) ?? ql, problems, distributed ? new Set() : withAssigned(varsOuter, st));
      if (isObj(proc) && proc.ProcessorConfig !== undefined) validateProcessorConfig(proc.ProcessorConfig, `${path}/${key}/ProcessorConfig`, problems);
      if (distributed) validateDistributed(st, path, ql, problems);
      else for (const f of DISTRIBUTED_ONLY) if (st[f] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}" is supported only for Map states in DISTRIBUTED mode at ${path}/${f}`);
      if (st.MaxConcurrency !== undefined && !isNonNegInt(st.MaxConcurrency) && !(ql === 'JSONata' && typeof st.MaxConcurrency === 'string')) {
        problems.push(`SCHEMA_VALIDATION_FAILED: The field "MaxConcurrency" must be a non-negative integer at ${path}/MaxConcurrency`);
      }
      if (st.ItemsPath !== undefined && !validPath(st.ItemsPath)) problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field 'ItemsPath' must be a valid JSONPath at ${path}/ItemsPath`);
      validateRetryCatch(st, path, states, problems);
      break;
    }
    case 'Choice':
      if (!Array.isArray(st.Choices) || st.Choices.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Choices" should be non-null at ${path}`);
      else st.Choices.forEach((c, i) => {
        const cp = `${path}/Choices/${i}`;
        if (!isObj(c)) { problems.push(`SCHEMA_VALIDATION_FAILED: A choice rule must be an object at ${cp}`); return; }
        if (typeof c.Next !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field "Next" should be non-null at ${cp}`);
        else if (!(c.Next in states)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${c.Next} at ${cp}/Next`);
        if (ql === 'JSONata') {
          if (c.Condition === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Condition" should be non-null at ${cp}`);
        } else validateRule(c, cp, problems);
      });
      if (st.Default !== undefined && (typeof st.Default !== 'string' || !(st.Default in states))) {
        problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${String(st.Default)} at ${path}/Default`);
      }
      break;
    case 'Wait': {
      const fields = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => st[f] !== undefined);
      if (fields.length !== 1) problems.push(`SCHEMA_VALIDATION_FAILED: A Wait state must have exactly one of "Seconds", "Timestamp", "SecondsPath", "TimestampPath" at ${path}`);
      if (st.Seconds !== undefined && !isNonNegInt(st.Seconds) && !(ql === 'JSONata' && typeof st.Seconds === 'string')) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Seconds" must be a non-negative integer at ${path}/Seconds`);
      break;
    }
    case 'Fail':
      if (st.Error !== undefined && st.ErrorPath !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "Error" and "ErrorPath" cannot both be set at ${path}`);
      if (st.Cause !== undefined && st.CausePath !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "Cause" and "CausePath" cannot both be set at ${path}`);
      break;
    default:
      break;
  }
}

function validateProcessorConfig(cfg: unknown, at: string, problems: string[]): void {
  if (!isObj(cfg)) { problems.push(`SCHEMA_VALIDATION_FAILED: The field "ProcessorConfig" must be an object at ${at}`); return; }
  if (cfg.Mode !== undefined && cfg.Mode !== 'INLINE' && cfg.Mode !== 'DISTRIBUTED') problems.push(`SCHEMA_VALIDATION_FAILED: The field "Mode" should have one of these values: [INLINE, DISTRIBUTED] at ${at}/Mode`);
  if (cfg.Mode === 'DISTRIBUTED') {
    if (cfg.ExecutionType === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ExecutionType" should be non-null when "Mode" is DISTRIBUTED at ${at}`);
    else if (cfg.ExecutionType !== 'STANDARD' && cfg.ExecutionType !== 'EXPRESS') problems.push(`SCHEMA_VALIDATION_FAILED: The field "ExecutionType" should have one of these values: [STANDARD, EXPRESS] at ${at}/ExecutionType`);
  } else if (cfg.ExecutionType !== undefined) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field "ExecutionType" is supported only when "Mode" is DISTRIBUTED at ${at}/ExecutionType`);
  }
}

/**
 * The fields of a Distributed Map: ItemReader, ItemBatcher, ResultWriter, Label and the tolerated failures.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
function validateDistributed(st: Obj, path: string, ql: string, problems: string[]): void {
  const expr = (v: unknown): boolean => ql === 'JSONata' && typeof v === 'string' && v.startsWith('{%');
  for (const f of ['ToleratedFailureCount', 'ToleratedFailurePercentage', 'MaxConcurrency']) {
    if (st[f] !== undefined && st[`${f}Path`] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "${f}" and "${f}Path" cannot both be set at ${path}`);
    if (ql === 'JSONata' && st[`${f}Path`] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}Path" is supported only for JSONPath states at ${path}/${f}Path`);
  }
  if (st.ToleratedFailureCount !== undefined && !isNonNegInt(st.ToleratedFailureCount) && !expr(st.ToleratedFailureCount)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field "ToleratedFailureCount" must be a non-negative integer at ${path}/ToleratedFailureCount`);
  }
  const pct = st.ToleratedFailurePercentage;
  if (pct !== undefined && !(typeof pct === 'number' && pct >= 0 && pct <= 100) && !expr(pct)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field "ToleratedFailurePercentage" must be a number between 0 and 100 at ${path}/ToleratedFailurePercentage`);
  }
  if (st.Label !== undefined) {
    // Labels: at most 40 characters, none of whitespace, ? * < > { } [ ] : ; , \ | ^ ~ $ # % & ` " or control characters; unique.
    if (typeof st.Label !== 'string' || st.Label.length === 0 || st.Label.length > 40 || /[\s?*<>{}[\]:;,\\|^~$#%&`"\u0000-\u001f\u007f-\u009f]/.test(st.Label)) {
      problems.push(`SCHEMA_VALIDATION_FAILED: The field "Label" must be 1 to 40 characters without whitespace, wildcards, brackets, special or control characters at ${path}/Label`);
    } else if (labelsSeen.has(st.Label)) {
      problems.push(`SCHEMA_VALIDATION_FAILED: The Label "${st.Label}" is used by more than one Map state; labels must be unique within a state machine at ${path}/Label`);
    } else labelsSeen.add(st.Label);
  }
  const args = ql === 'JSONata' ? 'Arguments' : 'Parameters';
  const reader = st.ItemReader;
  if (reader !== undefined) {
    const at = `${path}/ItemReader`;
    if (!isObj(reader)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ItemReader" must be an object at ${at}`);
    else {
      if (typeof reader.Resource !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field "Resource" should be non-null at ${at}`);
      else if (!ITEM_READER_RESOURCES.includes(reader.Resource)) problems.push(`SCHEMA_VALIDATION_FAILED: The ItemReader resource must be one of ${ITEM_READER_RESOURCES.join(', ')}, found ${JSON.stringify(reader.Resource)} at ${at}/Resource`);
      if (reader[args] === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${args}" should be non-null at ${at}`);
      else if (ql !== 'JSONata') validateTemplate(reader.Parameters, `${at}/Parameters`, problems);
      const cfg = reader.ReaderConfig;
      if (cfg !== undefined) {
        if (!isObj(cfg)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ReaderConfig" must be an object at ${at}/ReaderConfig`);
        else {
          if (cfg.InputType !== undefined && !INPUT_TYPES.includes(cfg.InputType as string)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "InputType" should have one of these values: [${INPUT_TYPES.join(', ')}] at ${at}/ReaderConfig/InputType`);
          if (reader.Resource === 'arn:aws:states:::s3:getObject' && cfg.InputType === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "InputType" should be non-null for the s3:getObject ItemReader at ${at}/ReaderConfig`);
          if (cfg.CSVHeaderLocation !== undefined && cfg.CSVHeaderLocation !== 'FIRST_ROW' && cfg.CSVHeaderLocation !== 'GIVEN') problems.push(`SCHEMA_VALIDATION_FAILED: The field "CSVHeaderLocation" should have one of these values: [FIRST_ROW, GIVEN] at ${at}/ReaderConfig/CSVHeaderLocation`);
          if (cfg.CSVHeaderLocation === 'GIVEN' && !(Array.isArray(cfg.CSVHeaders) && cfg.CSVHeaders.length > 0 && cfg.CSVHeaders.every((h) => typeof h === 'string'))) problems.push(`SCHEMA_VALIDATION_FAILED: The field "CSVHeaders" must be a non-empty array of strings when "CSVHeaderLocation" is GIVEN at ${at}/ReaderConfig`);
          if (cfg.MaxItems !== undefined && cfg.MaxItemsPath !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "MaxItems" and "MaxItemsPath" cannot both be set at ${at}/ReaderConfig`);
          if (cfg.MaxItems !== undefined && !isNonNegInt(cfg.MaxItems) && !expr(cfg.MaxItems)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "MaxItems" must be a non-negative integer at ${at}/ReaderConfig/MaxItems`);
        }
      } else if (reader.Resource === 'arn:aws:states:::s3:getObject') {
        problems.push(`SCHEMA_VALIDATION_FAILED: The field "ReaderConfig" should be non-null for the s3:getObject ItemReader at ${at}`);
      }
    }
    if (st.ItemsPath !== undefined || st.Items !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: "${st.Items !== undefined ? 'Items' : 'ItemsPath'}" cannot be combined with "ItemReader" at ${path}`);
  }
  const batcher = st.ItemBatcher;
  if (batcher !== undefined) {
    const at = `${path}/ItemBatcher`;
    if (!isObj(batcher)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ItemBatcher" must be an object at ${at}`);
    else {
      const fields = ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'].filter((f) => batcher[f] !== undefined);
      if (fields.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: An ItemBatcher needs at least one of "MaxItemsPerBatch", "MaxInputBytesPerBatch" (or their …Path) at ${at}`);
      for (const f of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']) {
        const v = batcher[f];
        if (v !== undefined && !(isNonNegInt(v) && (v as number) >= 1) && !expr(v)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${f}" must be a positive integer at ${at}/${f}`);
      }
    }
  }
  const writer = st.ResultWriter;
  if (writer !== undefined) {
    const at = `${path}/ResultWriter`;
    if (!isObj(writer)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "ResultWriter" must be an object at ${at}`);
    else {
      const hasTarget = writer.Resource !== undefined || writer[args] !== undefined;
      if (!hasTarget && writer.WriterConfig === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The ResultWriter needs "Resource" and "${args}", "WriterConfig", or all three at ${at}`);
      if (hasTarget) {
        if (writer.Resource !== 'arn:aws:states:::s3:putObject') problems.push(`SCHEMA_VALIDATION_FAILED: The ResultWriter resource must be arn:aws:states:::s3:putObject, found ${JSON.stringify(writer.Resource)} at ${at}/Resource`);
        if (writer[args] === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: The field "${args}" should be non-null at ${at}`);
        else if (ql !== 'JSONata') validateTemplate(writer.Parameters, `${at}/Parameters`, problems);
      }
      const wc = writer.WriterConfig;
      if (wc !== undefined) {
        if (!isObj(wc)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "WriterConfig" must be an object at ${at}/WriterConfig`);
        else {
          if (wc.Transformation !== undefined && !['NONE', 'COMPACT', 'FLATTEN'].includes(wc.Transformation as string)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Transformation" should have one of these values: [NONE, COMPACT, FLATTEN] at ${at}/WriterConfig/Transformation`);
          if (wc.OutputType !== undefined && !['JSON', 'JSONL'].includes(wc.OutputType as string)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "OutputType" should have one of these values: [JSON, JSONL] at ${at}/WriterConfig/OutputType`);
        }
      }
    }
  }
}

function withAssigned(outer: Set<string>, st: Obj): Set<string> {
  const out = new Set(outer);
  if (isObj(st.Assign)) for (const k of Object.keys(st.Assign)) out.add(k.endsWith('.$') ? k.slice(0, -2) : k);
  return out;
}

function validateTemplate(t: unknown, at: string, problems: string[]): void {
  if (Array.isArray(t)) { t.forEach((x, i) => validateTemplate(x, `${at}[${i}]`, problems)); return; }
  if (!isObj(t)) return;
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string') { problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field '${k}' must be a STRING that contains a JSONPath or an intrinsic function at ${at}/${k}`); continue; }
      if (isIntrinsic(v)) {
        try { parseIntrinsic(v.trim()); } catch (err) { problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field '${k}' must be a valid intrinsic function: ${(err as Error).message} at ${at}/${k}`); }
      } else if (!validPath(v)) {
        problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call at ${at}/${k}`);
      }
    } else validateTemplate(v, `${at}/${k}`, problems);
  }
}

function validateRule(c: Obj, at: string, problems: string[]): void {
  if (Array.isArray(c.And) || Array.isArray(c.Or)) {
    const list = (c.And ?? c.Or) as unknown[];
    list.forEach((r, i) => (isObj(r) ? validateRule(r, `${at}/${c.And ? 'And' : 'Or'}/${i}`, problems) : problems.push(`SCHEMA_VALIDATION_FAILED: A choice rule must be an object at ${at}`)));
    return;
  }
  if (c.Not !== undefined) {
    if (isObj(c.Not)) validateRule(c.Not, `${at}/Not`, problems);
    else problems.push(`SCHEMA_VALIDATION_FAILED: "Not" must be a choice rule at ${at}/Not`);
    return;
  }
  if (!validPath(c.Variable)) problems.push(`SCHEMA_VALIDATION_FAILED: The field "Variable" should be a valid JSONPath at ${at}`);
  const ops = Object.keys(c).filter((k) => COMPARATORS.includes(k) || COMPARATORS.includes(k.replace(/Path$/, '')) || TYPE_TESTS.includes(k));
  if (ops.length !== 1) problems.push(`SCHEMA_VALIDATION_FAILED: A choice rule must have exactly one comparison operator at ${at}`);
}

function validateRetryCatch(st: Obj, at: string, states: Obj, problems: string[]): void {
  for (const kind of ['Retry', 'Catch'] as const) {
    const list = st[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) { problems.push(`SCHEMA_VALIDATION_FAILED: The field "${kind}" must be an array at ${at}/${kind}`); continue; }
    list.forEach((r, i) => {
      const rp = `${at}/${kind}[${i}]`;
      if (!isObj(r) || !Array.isArray(r.ErrorEquals) || r.ErrorEquals.length === 0) {
        problems.push(`SCHEMA_VALIDATION_FAILED: The field "ErrorEquals" should be non-null at ${rp}`);
        return;
      }
      if (r.ErrorEquals.includes('States.ALL') && (r.ErrorEquals.length !== 1 || i !== list.length - 1)) {
        problems.push(`SCHEMA_VALIDATION_FAILED: "States.ALL" must appear alone and in the last ${kind === 'Retry' ? 'retrier' : 'catcher'} at ${rp}/ErrorEquals`);
      }
      if (kind === 'Retry') {
        if (r.MaxAttempts !== undefined && !isNonNegInt(r.MaxAttempts)) problems.push(`SCHEMA_VALIDATION_FAILED: "MaxAttempts" must be a non-negative integer at ${rp}/MaxAttempts`);
        if (r.IntervalSeconds !== undefined && !(isNonNegInt(r.IntervalSeconds) && (r.IntervalSeconds as number) >= 1)) problems.push(`SCHEMA_VALIDATION_FAILED: "IntervalSeconds" must be a positive integer at ${rp}/IntervalSeconds`);
        if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) problems.push(`SCHEMA_VALIDATION_FAILED: "BackoffRate" must be a number not less than 1.0 at ${rp}/BackoffRate`);
        if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') problems.push(`SCHEMA_VALIDATION_FAILED: "JitterStrategy" must be "FULL" or "NONE" at ${rp}/JitterStrategy`);
      } else {
        if (typeof r.Next !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field "Next" should be non-null at ${rp}`);
        else if (!(r.Next in states)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${r.Next} at ${rp}/Next`);
      }
    });
  }
}
