/**
 * JSONata: Output, Arguments, Choice Condition, QueryLanguage and Catch with $states.errorOutput,
 * as recorded on AWS in localstack's tests/aws/services/stepfunctions/v2/outputdecl/test_output.snapshot.json,
 * query_language/test_base_query_language.snapshot.json and states_variables/test_error_output.snapshot.json.
 */
import { fnArn, ROLE, type ConformanceCase } from '../harness.js';

/** Returns its event. */
const identity = (event: unknown): unknown => event;

/** Throws `Exception("Some exception was raised.")` as a Python function reports it. */
function boom(): never {
  const e = new Error('Some exception was raised.');
  e.name = 'Exception';
  throw e;
}

export const cases: ConformanceCase[] = [
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_cases[BASE_EMPTY] (recorded 19-02-2026, 14:47:34)
    name: "JSONata: empty Output object [test_output::test_base_cases[BASE_EMPTY]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: {}, End: true } } },
    input: {"input_value": "string literal", "input_values": [1, 2, 3]},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_cases[BASE_DIRECT_EXPR] (recorded 19-02-2026, 14:48:17)
    name: "JSONata: Output is a single expression [test_output::test_base_cases[BASE_DIRECT_EXPR]]",
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { var_constant_1: 1 }, Next: 'State0' },
        State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $sum($states.input.input_values) + $var_constant_1 %}', End: true },
      },
    },
    input: {"input_value": "string literal", "input_values": [1, 2, 3]},
    expect: {"status": "SUCCEEDED", "output": 7},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "Init"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"var_constant_1": 1}, "assignedVariablesDetails": {"truncated": false}, "name": "Init", "output": {"input_value": "string literal", "input_values": [1, 2, 3]}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 5, 4, {"name": "State0", "output": 7, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": 7, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[NULL] (recorded 19-02-2026, 14:49:08)
    name: "JSONata: Output of any JSON type (NULL) [test_output::test_base_output_any_non_dict[NULL]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: null, End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": null},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": null, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": null, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[INT] (recorded 19-02-2026, 14:49:23)
    name: "JSONata: Output of any JSON type (INT) [test_output::test_base_output_any_non_dict[INT]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: 0, End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": 0},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": 0, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": 0, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[FLOAT] (recorded 19-02-2026, 14:49:37)
    name: "JSONata: Output of any JSON type (FLOAT) [test_output::test_base_output_any_non_dict[FLOAT]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: 0.1, End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": 0.1},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": 0.1, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": 0.1, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[BOOL] (recorded 19-02-2026, 14:49:51)
    name: "JSONata: Output of any JSON type (BOOL) [test_output::test_base_output_any_non_dict[BOOL]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: true, End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": true},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": true, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": true, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[STR_LIT] (recorded 19-02-2026, 14:50:05)
    name: "JSONata: Output of any JSON type (STR_LIT) [test_output::test_base_output_any_non_dict[STR_LIT]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: 'string literal', End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": "string literal"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": "string literal", "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": "string literal", "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[JSONATA_EXPR] (recorded 19-02-2026, 14:50:20)
    name: "JSONata: Output of any JSON type (JSONATA_EXPR) [test_output::test_base_output_any_non_dict[JSONATA_EXPR]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $states.input %}', End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": {"input_value": "stringliteral"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {"input_value": "stringliteral"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input_value": "stringliteral"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[LIST_EMPY] (recorded 19-02-2026, 14:50:35)
    name: "JSONata: Output of any JSON type (LIST_EMPY) [test_output::test_base_output_any_non_dict[LIST_EMPY]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: [], End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": []},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": [], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": [], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_output_any_non_dict[LIST_RICH] (recorded 19-02-2026, 14:50:49)
    name: "JSONata: Output of any JSON type (LIST_RICH) [test_output::test_base_output_any_non_dict[LIST_RICH]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Pass', Output: [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', '{% $states.input %}', { key: '{% true %}' }], End: true } } },
    input: {"input_value": "stringliteral"},
    expect: {"status": "SUCCEEDED", "output": [null, 0, 0.1, true, "string", [], "$nosuchvar", "$.no.such.path", {"input_value": "stringliteral"}, {"key": true}]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "stringliteral"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": [null, 0, 0.1, true, "string", [], "$nosuchvar", "$.no.such.path", {"input_value": "stringliteral"}, {"key": true}], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": [null, 0, 0.1, true, "string", [], "$nosuchvar", "$.no.such.path", {"input_value": "stringliteral"}, {"key": true}], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_output_in_choice[CONDITION_TRUE] (recorded 19-02-2026, 14:51:09)
    name: "JSONata: Choice rule Output (condition true) [test_output::test_output_in_choice[CONDITION_TRUE]]",
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Output: 'Condition Output block' }],
          Default: 'DefaultState',
          Output: 'Default Output block',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: {"condition": true},
    expect: {"status": "SUCCEEDED", "output": "Condition Output block"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"condition": true}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['ChoiceStateEntered', 2, 0, {"input": {"condition": true}, "inputDetails": {"truncated": false}, "name": "ChoiceState"}],
      ['ChoiceStateExited', 3, 2, {"name": "ChoiceState", "output": "Condition Output block", "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": "Condition Output block", "inputDetails": {"truncated": false}, "name": "ConditionTrue"}],
      ['PassStateExited', 5, 4, {"name": "ConditionTrue", "output": "Condition Output block", "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": "Condition Output block", "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_output_in_choice[CONDITION_FALSE] (recorded 19-02-2026, 14:51:23)
    name: "JSONata: Choice state Output (condition false, Default) [test_output::test_output_in_choice[CONDITION_FALSE]]",
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Output: 'Condition Output block' }],
          Default: 'DefaultState',
          Output: 'Default Output block',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: {"condition": false},
    expect: {"status": "FAILED", "cause": "Condition is false"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"condition": false}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['ChoiceStateEntered', 2, 0, {"input": {"condition": false}, "inputDetails": {"truncated": false}, "name": "ChoiceState"}],
      ['ChoiceStateExited', 3, 2, {"name": "ChoiceState", "output": "Default Output block", "outputDetails": {"truncated": false}}],
      ['FailStateEntered', 4, 3, {"input": "Default Output block", "inputDetails": {"truncated": false}, "name": "DefaultState"}],
      ['ExecutionFailed', 5, 4, {"cause": "Condition is false"}],
    ],
  },
  {
    // outputdecl/test_output.py::TestArgumentsBase::test_base_task_lambda[BASE_TASK_LAMBDA] (recorded 19-02-2026, 14:48:54)
    name: "JSONata: lambda:invoke with Arguments and Output [test_output::test_base_task_lambda[BASE_TASK_LAMBDA]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: '{% $states.input.FunctionName %}', Payload: '{% $states.input.Payload %}' },
          Output: { ja_states_input: '{% $states.input %}', ja_states_result: '{% $states.result %}' },
          End: true,
        },
      },
    },
    input: {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}},
    lambdas: { identity },
    divergence: "Content-Length of the Lambda response: the recording used a Python function, whose JSON has spaces after , and :",
    expect: {"status": "SUCCEEDED", "output": {"ja_states_input": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "ja_states_result": {"ExecutedVersion": "$LATEST", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["60"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "60", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["60"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "60", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "State0", "output": {"ja_states_input": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "ja_states_result": {"ExecutedVersion": "$LATEST", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["60"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "60", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {"ja_states_input": {"FunctionName": "identity", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}}, "ja_states_result": {"ExecutedVersion": "$LATEST", "Payload": {"input_value": "string literal", "input_values": [1, 2, 3]}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["60"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "60", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // query_language/test_base_query_language.py::TestBaseQueryLanguage::test_base_query_language_field[JSON_PATH] (recorded 04-11-2024, 11:11:03)
    name: "QueryLanguage JSONPath at the top [test_base_query_language::test_base_query_language_field[JSON_PATH]]",
    definition: { QueryLanguage: 'JSONPath', StartAt: 'StartState', States: { StartState: { Type: 'Pass', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartState"}],
      ['PassStateExited', 3, 2, {"name": "StartState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // query_language/test_base_query_language.py::TestBaseQueryLanguage::test_base_query_language_field[JSONATA] (recorded 04-11-2024, 11:11:18)
    name: "QueryLanguage JSONata at the top [test_base_query_language::test_base_query_language_field[JSONATA]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'StartState', States: { StartState: { Type: 'Pass', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartState"}],
      ['PassStateExited', 3, 2, {"name": "StartState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // query_language/test_base_query_language.py::TestBaseQueryLanguage::test_query_language_field_override[JSONATA_OVERRIDE] (recorded 04-11-2024, 11:11:32)
    name: "QueryLanguage JSONata on a state overrides JSONPath [test_base_query_language::test_query_language_field_override[JSONATA_OVERRIDE]]",
    definition: { QueryLanguage: 'JSONPath', StartAt: 'StartState', States: { StartState: { QueryLanguage: 'JSONata', Type: 'Pass', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartState"}],
      ['PassStateExited', 3, 2, {"name": "StartState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // query_language/test_base_query_language.py::TestBaseQueryLanguage::test_query_language_field_override[JSONATA_OVERRIDE_DEFAULT] (recorded 04-11-2024, 11:11:42)
    name: "QueryLanguage JSONata on a state overrides the default [test_base_query_language::test_query_language_field_override[JSONATA_OVERRIDE_DEFAULT]]",
    definition: { StartAt: 'StartState', States: { StartState: { QueryLanguage: 'JSONata', Type: 'Pass', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartState"}],
      ['PassStateExited', 3, 2, {"name": "StartState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // states_variables/test_error_output.py::TestStateVariablesTemplate::test_task_catch_error_output[TASK_CATCH_ERROR_OUTPUT] (recorded 12-11-2024, 12:38:02)
    name: "JSONata Catch Output with $states.errorOutput [test_error_output::test_task_catch_error_output[TASK_CATCH_ERROR_OUTPUT]]",
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          QueryLanguage: 'JSONata',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: fnArn('boom'), Payload: { foo: 'foobar' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
          Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
          Next: 'Finish',
        },
        Fallback: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { error: '{% $states.input %}' }, End: true },
        Finish: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { result: '{% $states.input %}' }, End: true },
      },
    },
    input: {"inputData": "dummy"},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "name": "Task"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Task", "output": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 8, 7, {"name": "Fallback", "output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // states_variables/test_error_output.py::TestStateVariablesTemplate::test_task_catch_error_with_retry[TASK_CATCH_ERROR_OUTPUT_WITH_RETRY] (recorded 12-11-2024, 12:39:19)
    name: "JSONata Catch Output after a Retry [test_error_output::test_task_catch_error_with_retry[TASK_CATCH_ERROR_OUTPUT_WITH_RETRY]]",
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          QueryLanguage: 'JSONata',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: fnArn('boom'), Payload: { foo: 'foobar' } },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
          Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
          Next: 'Finish',
        },
        Fallback: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { error: '{% $states.input %}' }, End: true },
        Finish: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { result: '{% $states.input %}' }, End: true },
      },
    },
    input: {"inputData": "dummy"},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "name": "Task"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskScheduled', 6, 5, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 7, 6, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 8, 7, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 9, 8, {"name": "Task", "output": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 10, 9, {"input": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 11, 10, {"name": "Fallback", "output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 12, 11, {"output": {"error": {"stateInput": {"inputData": "dummy"}, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // states_variables/test_error_output.py::TestStateVariablesTemplate::test_catch_error_variable_sampling[TASK_CATCH_ERROR_VARIABLE_SAMPLING] (recorded 12-11-2024, 12:38:39)
    name: "JSONata Catch Assign with $states.errorOutput [test_error_output::test_catch_error_variable_sampling[TASK_CATCH_ERROR_VARIABLE_SAMPLING]]",
    definition: {
      Comment: 'TASK_CATCH_ERROR_VARIABLE_SAMPLING',
      QueryLanguage: 'JSONata',
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: fnArn('boom'), Payload: { foo: 'foobar' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { inputVar: '{% $states.input %}', errorVar: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
          Assign: { inputVar: '{% $states.input %}', resultVar: '{% $states.result %}' },
          Next: 'Finish',
        },
        Fallback: { Type: 'Pass', Output: { error: '{% $errorVar %}' }, End: true },
        Finish: { Type: 'Pass', Output: { result: '{% $resultVar %}' }, End: true },
      },
    },
    input: {"inputData": "dummy"},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"inputData": "dummy"}, "inputDetails": {"truncated": false}, "name": "Task"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"assignedVariables": {"errorVar": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputVar": {"inputData": "dummy"}}, "assignedVariablesDetails": {"truncated": false}, "name": "Task", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 8, 7, {"name": "Fallback", "output": {"error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; one item is that item.
    name: "JSONata: $range gives a sequence: $range(1, 9, 9) is 1",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% $range(1, 9, 9) %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: 1 },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: 1, outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: 1, outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; an array constructor keeps one item as an array.
    name: "JSONata: $range gives a sequence: [$range(1, 9, 9)] is [1]",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% [$range(1, 9, 9)] %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: [1] },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: [1], outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: [1], outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; no items is nothing.
    name: "JSONata: $range gives a sequence: $exists($range(3, 0, 1)) is false",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% $exists($range(3, 0, 1)) %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: false },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: false, outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: false, outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; no items in an array constructor is an empty array.
    name: "JSONata: $range gives a sequence: [$range(3, 0, 1)] is []",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% [$range(3, 0, 1)] %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: [] },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: [], outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: [], outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; several items are an array.
    name: "JSONata: $range gives a sequence: $range(0, 9, 3) is [0, 3, 6, 9]",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% $range(0, 9, 3) %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: [0, 3, 6, 9] },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: [0, 3, 6, 9], outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: [0, 3, 6, 9], outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; arguments are truncated to integers.
    name: "JSONata: $range gives a sequence: $range(1.4, 5.6, 2.2) is [1, 3, 5]",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% $range(1.4, 5.6, 2.2) %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: [1, 3, 5] },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: [1, 3, 5], outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: [1, 3, 5], outputDetails: { truncated: false } }],
    ],
  },
  {
    // Measured on Step Functions (tiny-asl-machine's conformance tests, test_range_gives_a_sequence
    // and test_functions_give_what_step_functions_gives): $range gives a JSONata sequence; a step truncated to 0 is nothing.
    name: "JSONata: $range gives a sequence: $exists($range(1, 10, 0.49)) is false",
    definition: { StartAt: 'P', States: { P: { QueryLanguage: 'JSONata', Type: 'Pass', Output: "{% $exists($range(1, 10, 0.49)) %}", End: true } } },
    input: {},
    expect: { status: 'SUCCEEDED', output: false },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: { truncated: false }, roleArn: ROLE }],
      ['PassStateEntered', 2, 0, { input: {}, inputDetails: { truncated: false }, name: 'P' }],
      ['PassStateExited', 3, 2, { name: 'P', output: false, outputDetails: { truncated: false } }],
      ['ExecutionSucceeded', 4, 3, { output: false, outputDetails: { truncated: false } }],
    ],
  },
];
