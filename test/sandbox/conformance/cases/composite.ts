/**
 * JSONata in Map iterations and Parallel branches with Catch, and JSONata Arguments to Lambda
 * ARN resources, as recorded on AWS in localstack's
 * tests/aws/services/stepfunctions/v2/states_variables/test_error_output.snapshot.json and
 * arguments/test_arguments.snapshot.json.
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
    // states_variables/test_error_output.py::TestStateVariablesTemplate::test_map_catch_error[MAP_CATCH_ERROR_OUTPUT] (recorded 12-11-2024, 13:03:14)
    name: "JSONata Map: each iteration catches its task error [test_error_output::test_map_catch_error[MAP_CATCH_ERROR_OUTPUT]]",
    definition: {
      Comment: 'MAP_CATCH_ERROR_OUTPUT',
      QueryLanguage: 'JSONata',
      StartAt: 'ProcessItems',
      States: {
        ProcessItems: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'ProcessItem',
            States: {
              ProcessItem: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: fnArn('boom'), Payload: { foo: 'foobar' } },
                Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
                Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
                Next: 'Finish',
              },
              Fallback: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
              Finish: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
            },
          },
          End: true,
        },
      },
    },
    input: {"items": [1, 2, 3]},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": [{"result": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"items": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"items": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "ProcessItems"}],
      ['MapStateStarted', 3, 2, {"length": 3}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "ProcessItems"}],
      ['TaskStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "ProcessItem"}],
      ['TaskScheduled', 6, 5, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 7, 6, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 8, 7, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 9, 8, {"name": "ProcessItem", "output": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 10, 9, {"input": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 11, 10, {"name": "Fallback", "output": {"result": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 12, 11, {"index": 0, "name": "ProcessItems"}],
      ['MapIterationStarted', 13, 11, {"index": 1, "name": "ProcessItems"}],
      ['TaskStateEntered', 14, 13, {"input": 2, "inputDetails": {"truncated": false}, "name": "ProcessItem"}],
      ['TaskScheduled', 15, 14, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 16, 15, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 17, 16, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 18, 17, {"name": "ProcessItem", "output": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 19, 18, {"input": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 20, 19, {"name": "Fallback", "output": {"result": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 21, 20, {"index": 1, "name": "ProcessItems"}],
      ['MapIterationStarted', 22, 20, {"index": 2, "name": "ProcessItems"}],
      ['TaskStateEntered', 23, 22, {"input": 3, "inputDetails": {"truncated": false}, "name": "ProcessItem"}],
      ['TaskScheduled', 24, 23, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 25, 24, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 26, 25, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 27, 26, {"name": "ProcessItem", "output": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 28, 27, {"input": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['PassStateExited', 29, 28, {"name": "Fallback", "output": {"result": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 30, 29, {"index": 2, "name": "ProcessItems"}],
      ['MapStateSucceeded', 31, 30],
      ['MapStateExited', 32, 30, {"name": "ProcessItems", "output": [{"result": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 33, 32, {"output": [{"result": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 2, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}, {"result": {"stateInput": 3, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}}], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // states_variables/test_error_output.py::TestStateVariablesTemplate::test_map_catch_error[MAP_CATCH_ERROR_OUTPUT_WITH_RETRY] (recorded 12-11-2024, 13:00:32)
    name: "JSONata Map: an undefined variable in the catch target fails the Map after a Retry [test_error_output::test_map_catch_error[MAP_CATCH_ERROR_OUTPUT_WITH_RETRY]]",
    definition: {
      Comment: 'MAP_CATCH_ERROR_OUTPUT_WITH_RETRY',
      QueryLanguage: 'JSONata',
      StartAt: 'ProcessItems',
      States: {
        ProcessItems: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'ProcessItem',
            States: {
              ProcessItem: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: fnArn('boom'), Payload: { foo: 'foobar' } },
                Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
                Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
                Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
                Next: 'Finish',
              },
              Fallback: { Type: 'Pass', Output: { error: '{% $stateError %}' }, End: true },
              Finish: { Type: 'Pass', Output: { result: '{% $stateResult %}' }, End: true },
            },
          },
          End: true,
        },
      },
    },
    input: {"items": [1, 2, 3]},
    lambdas: { boom },
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'Fallback' (entered at the event id #13). The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"items": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"items": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "ProcessItems"}],
      ['MapStateStarted', 3, 2, {"length": 3}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "ProcessItems"}],
      ['TaskStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "ProcessItem"}],
      ['TaskScheduled', 6, 5, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 7, 6, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 8, 7, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskScheduled', 9, 8, {"parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:boom", "Payload": {"foo": "foobar"}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 10, 9, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 11, 10, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 12, 11, {"name": "ProcessItem", "output": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 13, 12, {"input": {"stateInput": 1, "stateError": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "inputDetails": {"truncated": false}, "name": "Fallback"}],
      ['EvaluationFailed', 14, 12, {"cause": "An error occurred while executing the state 'Fallback' (entered at the event id #13). The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Output/error", "state": "Fallback"}],
      ['MapIterationFailed', 15, 14, {"index": 0, "name": "ProcessItems"}],
      ['MapStateFailed', 16, 14],
      ['ExecutionFailed', 17, 16, {"cause": "An error occurred while executing the state 'Fallback' (entered at the event id #13). The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // arguments/test_arguments.py::TestArgumentsBase::test_base_cases[BASE_LAMBDA_EMPTY] (recorded 04-11-2024, 11:40:50)
    name: "JSONata: empty Arguments to a Lambda ARN resource [test_arguments::test_base_cases[BASE_LAMBDA_EMPTY]]",
    definition: { StartAt: 'State0', States: { State0: { QueryLanguage: 'JSONata', Type: 'Task', Resource: fnArn('identity'), Arguments: {}, End: true } } },
    input: {"input_value": "string literal", "input_values": [1, 2, 3]},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": {}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "State0", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // arguments/test_arguments.py::TestArgumentsBase::test_base_cases[BASE_LAMBDA_EMPTY_GLOBAL_QL_JSONATA] (recorded 04-11-2024, 11:41:48)
    name: "JSONata (machine level): empty Arguments to a Lambda ARN resource [test_arguments::test_base_cases[BASE_LAMBDA_EMPTY_GLOBAL_QL_JSONATA]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Task', Resource: fnArn('identity'), Arguments: {}, End: true } } },
    input: {"input_value": "string literal", "input_values": [1, 2, 3]},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": {}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "State0", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // arguments/test_arguments.py::TestArgumentsBase::test_base_cases[BASE_LAMBDA_EXPRESSION] (recorded 04-11-2024, 11:41:28)
    name: "JSONata: Arguments and Assign expressions on a Lambda ARN resource [test_arguments::test_base_cases[BASE_LAMBDA_EXPRESSION]]",
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { 'var_input_value.$': '$.input_value', var_constant_1: 1 }, Next: 'State0' },
        State0: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: fnArn('identity'),
          Arguments: {
            ja_states_input: '{% $states.input %}',
            ja_var_access: '{% $var_input_value %}',
            ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}',
          },
          Assign: { ja_var_access: '{% $var_input_value %}', ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}' },
          End: true,
        },
      },
    },
    input: {"input_value": "string literal", "input_values": [1, 2, 3]},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ja_states_input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "ja_var_access": "string literal", "ja_expr": 7}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "Init"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"var_constant_1": 1, "var_input_value": "string literal"}, "assignedVariablesDetails": {"truncated": false}, "name": "Init", "output": {"input_value": "string literal", "input_values": [1, 2, 3]}, "outputDetails": {"truncated": false}}],
      ['TaskStateEntered', 4, 3, {"input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['LambdaFunctionScheduled', 5, 4, {"input": {"ja_states_input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "ja_var_access": "string literal", "ja_expr": 7}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 6, 5],
      ['LambdaFunctionSucceeded', 7, 6, {"output": {"ja_states_input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "ja_var_access": "string literal", "ja_expr": 7}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 8, 7, {"assignedVariables": {"ja_expr": 7, "ja_var_access": "string literal"}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"ja_states_input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "ja_var_access": "string literal", "ja_expr": 7}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ja_states_input": {"input_value": "string literal", "input_values": [1, 2, 3]}, "ja_var_access": "string literal", "ja_expr": 7}, "outputDetails": {"truncated": false}}],
    ],
  },
];
