/**
 * Lambda tasks, both as a function ARN resource and through arn:aws:states:::lambda:invoke, as
 * recorded on AWS in localstack's tests/aws/services/stepfunctions/v2/services/test_lambda_task*.snapshot.json
 * and error_handling/test_task_*lambda.snapshot.json. The functions are Node.js equivalents of
 * the recordings' Python ones (identity, raise Exception, raise CustomException, return HelloWorld).
 */
import { fnArn, ROLE, type ConformanceCase } from '../harness.js';

/** Returns its event. */
const identity = (event: unknown): unknown => event;
/** Returns a fixed object. */
const helloWorld = (): unknown => ({ Return: 'HelloWorld' });

/** Throws an error of the given type, as a Python `raise <type>(message)` reports it. */
function raises(type: string, message: string): () => never {
  return () => {
    const e = new Error(message);
    e.name = type;
    throw e;
  };
}
const boom = raises('Exception', 'Some exception was raised.');
const custom = raises('CustomException', '');

export const cases: ConformanceCase[] = [
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_pipe (recorded 06-11-2025, 12:31:08)
    name: "Lambda ARN resource: two echo functions piped, ResultPath on the second [test_lambda_task::test_invoke_pipe]",
    definition: {
      StartAt: 'step1',
      States: {
        step1: { Type: 'Task', Resource: fnArn('hello'), Next: 'step2' },
        step2: { Type: 'Task', Resource: fnArn('hello2'), ResultPath: '$.Return', End: true },
      },
    },
    input: {},
    lambdas: { hello: helloWorld, hello2: helloWorld },
    expect: {"status": "SUCCEEDED", "output": {"Return": {"Return": "HelloWorld"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:hello"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": {"Return": "HelloWorld"}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": {"Return": "HelloWorld"}, "outputDetails": {"truncated": false}}],
      ['TaskStateEntered', 7, 6, {"input": {"Return": "HelloWorld"}, "inputDetails": {"truncated": false}, "name": "step2"}],
      ['LambdaFunctionScheduled', 8, 7, {"input": {"Return": "HelloWorld"}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:hello2"}],
      ['LambdaFunctionStarted', 9, 8],
      ['LambdaFunctionSucceeded', 10, 9, {"output": {"Return": "HelloWorld"}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 11, 10, {"name": "step2", "output": {"Return": {"Return": "HelloWorld"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 12, 11, {"output": {"Return": {"Return": "HelloWorld"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[None] (recorded 04-08-2023, 14:57:19)
    name: "Lambda ARN resource: identity function with JSON value input None [test_lambda_task::test_invoke_json_values[None]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: null,
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": null},
    history: [
      ['ExecutionStarted', 1, 0, {"input": null, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": null, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": null, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": null, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": null, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": null, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[HelloWorld] (recorded 06-11-2025, 12:28:52)
    name: "Lambda ARN resource: identity function with JSON value input HelloWorld [test_lambda_task::test_invoke_json_values[HelloWorld]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: "HelloWorld",
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": "HelloWorld"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": "HelloWorld", "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": "HelloWorld", "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": "HelloWorld", "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": "HelloWorld", "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": "HelloWorld", "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": "HelloWorld", "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[0.0] (recorded 06-11-2025, 12:29:11)
    name: "Lambda ARN resource: identity function with JSON value input 0.0 [test_lambda_task::test_invoke_json_values[0.0]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: 0.0,
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": 0.0},
    history: [
      ['ExecutionStarted', 1, 0, {"input": 0.0, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": 0.0, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": 0.0, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": 0.0, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": 0.0, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": 0.0, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[0_1] (recorded 06-11-2025, 12:29:49)
    name: "Lambda ARN resource: identity function with JSON value input 0_1 [test_lambda_task::test_invoke_json_values[0_1]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: 0,
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": 0},
    history: [
      ['ExecutionStarted', 1, 0, {"input": 0, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": 0, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": 0, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": 0, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": 0, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": 0, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[True] (recorded 06-11-2025, 12:30:09)
    name: "Lambda ARN resource: identity function with JSON value input True [test_lambda_task::test_invoke_json_values[True]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: true,
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": true},
    history: [
      ['ExecutionStarted', 1, 0, {"input": true, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": true, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": true, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": true, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": true, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": true, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[json_value5] (recorded 06-11-2025, 12:30:28)
    name: "Lambda ARN resource: identity function with JSON value input json_value5 [test_lambda_task::test_invoke_json_values[json_value5]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: {},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": {}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[json_value6] (recorded 06-11-2025, 12:30:47)
    name: "Lambda ARN resource: identity function with JSON value input json_value6 [test_lambda_task::test_invoke_json_values[json_value6]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: [],
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": []},
    history: [
      ['ExecutionStarted', 1, 0, {"input": [], "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": [], "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": [], "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": [], "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": [], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": [], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_invoke_json_values[json_value7] (recorded 04-08-2023, 14:59:25)
    name: "Lambda ARN resource: identity function with JSON value input json_value7 [test_lambda_task::test_invoke_json_values[json_value7]]",
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fnArn('identity'), End: true } } },
    input: [],
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": []},
    history: [
      ['ExecutionStarted', 1, 0, {"input": [], "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": [], "inputDetails": {"truncated": false}, "name": "step1"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": [], "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionSucceeded', 5, 4, {"output": [], "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 6, 5, {"name": "step1", "output": [], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": [], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task.py::TestTaskLambda::test_lambda_task_filter_parameters_input (recorded 06-11-2025, 12:31:27)
    name: "Lambda ARN resource with Parameters from a Pass result [test_lambda_task::test_lambda_task_filter_parameters_input]",
    definition: {
      StartAt: 'StartCheckLoop',
      States: {
        StartCheckLoop: { Type: 'Pass', Result: { count: 0 }, ResultPath: '$.loop', Next: 'CheckComplete' },
        CheckComplete: { Type: 'Task', Resource: fnArn('identity'), Parameters: { 'loop.$': '$.loop' }, ResultPath: '$.result', End: true },
      },
    },
    input: {},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"loop": {"count": 0}, "result": {"loop": {"count": 0}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartCheckLoop"}],
      ['PassStateExited', 3, 2, {"name": "StartCheckLoop", "output": {"loop": {"count": 0}}, "outputDetails": {"truncated": false}}],
      ['TaskStateEntered', 4, 3, {"input": {"loop": {"count": 0}}, "inputDetails": {"truncated": false}, "name": "CheckComplete"}],
      ['LambdaFunctionScheduled', 5, 4, {"input": {"loop": {"count": 0}}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:identity"}],
      ['LambdaFunctionStarted', 6, 5],
      ['LambdaFunctionSucceeded', 7, 6, {"output": {"loop": {"count": 0}}, "outputDetails": {"truncated": false}}],
      ['TaskStateExited', 8, 7, {"name": "CheckComplete", "output": {"loop": {"count": 0}, "result": {"loop": {"count": 0}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"loop": {"count": 0}, "result": {"loop": {"count": 0}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_lambda.py::TestTaskLambda::test_raise_exception (recorded 28-11-2024, 12:40:57)
    name: "Lambda ARN resource: an uncaught function error fails the execution [test_task_lambda::test_raise_exception]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: fnArn('boom'),
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [{ ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithHandler' }],
          Next: 'EndWithFinal',
        },
        EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:boom"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
      ['ExecutionFailed', 6, 5, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
    ],
  },
  {
    // error_handling/test_task_lambda.py::TestTaskLambda::test_raise_custom_exception (recorded 28-11-2024, 12:41:13)
    name: "Lambda ARN resource: a custom error type is caught by name [test_task_lambda::test_raise_custom_exception]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: fnArn('custom'),
          Next: 'ProcessResult',
          Catch: [{ ErrorEquals: ['CustomException'], Next: 'ErrorMatched' }],
        },
        ProcessResult: { Type: 'Pass', End: true },
        ErrorMatched: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "custom", "Payload": null},
    lambdas: { custom },
    expect: {"status": "SUCCEEDED", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "custom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "custom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {"FunctionName": "custom", "Payload": null}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:custom"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": {"errorMessage": "", "errorType": "CustomException"}, "error": "CustomException"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "inputDetails": {"truncated": false}, "name": "ErrorMatched"}],
      ['PassStateExited', 8, 7, {"name": "ErrorMatched", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_lambda.py::TestTaskLambda::test_raise_exception_catch (recorded 28-11-2024, 12:41:30)
    name: "Lambda ARN resource: States.TaskFailed catches a function error [test_task_lambda::test_raise_exception_catch]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: fnArn('boom'),
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [
            { ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithLambdaUnknownHandler' },
            { ErrorEquals: ['States.TaskFailed'], Next: 'EndWithStateTaskFailedHandler' },
            { ErrorEquals: ['States.ALL'], Next: 'EndWithAllHandler' },
          ],
          Next: 'EndWithFinal',
        },
        EndWithLambdaUnknownHandler: { Type: 'Pass', ResultPath: '$.lambda_unknown', End: true },
        EndWithStateTaskFailedHandler: { Type: 'Pass', ResultPath: '$.task_failed_error', End: true },
        EndWithAllHandler: { Type: 'Pass', ResultPath: '$.all_error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:boom"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "EndWithStateTaskFailedHandler"}],
      ['PassStateExited', 8, 7, {"name": "EndWithStateTaskFailedHandler", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke (recorded 06-11-2025, 12:31:47)
    name: "lambda:invoke integration: identity function, null payload [test_lambda_task_service::test_invoke]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": null},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[None] (recorded 04-08-2023, 15:38:08)
    name: "lambda:invoke integration: JSON text payload None [test_lambda_task_service::test_invoke_json_values[None]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "null"},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "null"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "null"}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "null"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": null, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[HelloWorld] (recorded 06-11-2025, 12:32:44)
    name: "lambda:invoke integration: JSON text payload HelloWorld [test_lambda_task_service::test_invoke_json_values[HelloWorld]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "\"HelloWorld\""},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "\"HelloWorld\""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "\"HelloWorld\""}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "\"HelloWorld\""}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": "HelloWorld", "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["12"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "12", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[0_0] (recorded 06-11-2025, 12:33:23)
    name: "lambda:invoke integration: JSON text payload 0_0 [test_lambda_task_service::test_invoke_json_values[0_0]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "0"},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "0"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "0"}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "0"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": 0, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["1"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "1", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[True] (recorded 06-11-2025, 12:34:01)
    name: "lambda:invoke integration: JSON text payload True [test_lambda_task_service::test_invoke_json_values[True]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "true"},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "true"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "true"}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "true"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": true, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["4"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "4", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[json_value5] (recorded 06-11-2025, 12:34:21)
    name: "lambda:invoke integration: JSON text payload json_value5 [test_lambda_task_service::test_invoke_json_values[json_value5]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "{}"},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "{}"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "{}"}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "{}"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // services/test_lambda_task_service.py::TestTaskServiceLambda::test_invoke_json_values[json_value6] (recorded 06-11-2025, 12:34:40)
    name: "lambda:invoke integration: JSON text payload json_value6 [test_lambda_task_service::test_invoke_json_values[json_value6]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "identity", "Payload": "[]"},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": "[]"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": "[]"}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "identity", "Payload": "[]"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "inputDetails": {"truncated": false}, "name": "EndWithFinal"}],
      ['PassStateExited', 8, 7, {"name": "EndWithFinal", "output": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200, "final": {"ExecutedVersion": "$LATEST", "Payload": [], "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_exception (recorded 28-11-2024, 13:03:36)
    name: "lambda:invoke integration: an uncaught function error fails the execution [test_task_service_lambda::test_raise_exception]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [{ ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithHandler' }],
          Next: 'EndWithFinal',
        },
        EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "boom", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['ExecutionFailed', 6, 5, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_custom_exception (recorded 28-11-2024, 13:03:53)
    name: "lambda:invoke integration: a custom error type is caught by name [test_task_service_lambda::test_raise_custom_exception]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Next: 'ProcessResult',
          Catch: [{ ErrorEquals: ['CustomException'], Next: 'ErrorMatched' }],
        },
        ProcessResult: { Type: 'Pass', End: true },
        ErrorMatched: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "custom", "Payload": null},
    lambdas: { custom },
    expect: {"status": "SUCCEEDED", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "custom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "custom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "custom", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "", "errorType": "CustomException"}, "error": "CustomException", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "inputDetails": {"truncated": false}, "name": "ErrorMatched"}],
      ['PassStateExited', 8, 7, {"name": "ErrorMatched", "output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "CustomException", "Cause": {"errorMessage": "", "errorType": "CustomException"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_exception_catch (recorded 28-11-2024, 13:04:09)
    name: "lambda:invoke integration: States.TaskFailed catches a function error [test_task_service_lambda::test_raise_exception_catch]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [
            { ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithLambdaUnknownHandler' },
            { ErrorEquals: ['States.TaskFailed'], Next: 'EndWithStateTaskFailedHandler' },
            { ErrorEquals: ['States.ALL'], Next: 'EndWithAllHandler' },
          ],
          Next: 'EndWithFinal',
        },
        EndWithLambdaUnknownHandler: { Type: 'Pass', ResultPath: '$.lambda_unknown', End: true },
        EndWithStateTaskFailedHandler: { Type: 'Pass', ResultPath: '$.task_failed_error', End: true },
        EndWithAllHandler: { Type: 'Pass', ResultPath: '$.all_error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "boom", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "EndWithStateTaskFailedHandler"}],
      ['PassStateExited', 8, 7, {"name": "EndWithStateTaskFailedHandler", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "task_failed_error": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_no_such_function (recorded 25-11-2025, 15:29:42)
    name: "lambda:invoke integration: unknown function fails with Lambda.ResourceNotFoundException [test_task_service_lambda::test_no_such_function]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [{ ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithHandler' }],
          Next: 'EndWithFinal',
        },
        EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "no_such_boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "FAILED", "error": "Lambda.ResourceNotFoundException", "cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "no_such_boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "no_such_boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "no_such_boom", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "error": "Lambda.ResourceNotFoundException", "resource": "invoke", "resourceType": "lambda"}],
      ['ExecutionFailed', 6, 5, {"cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "error": "Lambda.ResourceNotFoundException"}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_no_such_function_catch (recorded 25-11-2025, 21:15:38)
    name: "lambda:invoke integration: States.TaskFailed catches an unknown function [test_task_service_lambda::test_no_such_function_catch]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [
            { ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithLambdaUnknownHandler' },
            { ErrorEquals: ['States.TaskFailed'], Next: 'EndWithStateTaskFailedHandler' },
            { ErrorEquals: ['States.ALL'], Next: 'EndWithAllHandler' },
          ],
          Next: 'EndWithFinal',
        },
        EndWithLambdaUnknownHandler: { Type: 'Pass', ResultPath: '$.lambda_unknown', End: true },
        EndWithStateTaskFailedHandler: { Type: 'Pass', ResultPath: '$.task_failed_error', End: true },
        EndWithAllHandler: { Type: 'Pass', ResultPath: '$.all_error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: {"FunctionName": "no_such_boom", "Payload": null},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "no_such_boom", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "no_such_boom", "Payload": null}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "no_such_boom", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "error": "Lambda.ResourceNotFoundException", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"}, "inputDetails": {"truncated": false}, "name": "EndWithStateTaskFailedHandler"}],
      ['PassStateExited', 8, 7, {"name": "EndWithStateTaskFailedHandler", "output": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)", "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_boom:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_exception_catch_output_path[None] (recorded 28-11-2024, 13:08:15)
    name: "lambda:invoke integration: a caught error ignores OutputPath None [test_task_service_lambda::test_raise_exception_catch_output_path[None]]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          ResultPath: '$.Payload',
          OutputPath: null,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
          Next: 'ProcessResult',
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', Parameters: { 'InputValue.$': '$' }, End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "HandleGeneralError"}],
      ['PassStateExited', 8, 7, {"name": "HandleGeneralError", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_exception_catch_output_path[$.Payload] (recorded 28-11-2024, 13:08:26)
    name: "lambda:invoke integration: a caught error ignores OutputPath $.Payload [test_task_service_lambda::test_raise_exception_catch_output_path[$.Payload]]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          ResultPath: '$.Payload',
          OutputPath: '$.Payload',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
          Next: 'ProcessResult',
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', Parameters: { 'InputValue.$': '$' }, End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "HandleGeneralError"}],
      ['PassStateExited', 8, 7, {"name": "HandleGeneralError", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_exception_catch_output_path[$.no.such.path] (recorded 28-11-2024, 13:08:43)
    name: "lambda:invoke integration: a caught error ignores OutputPath $.no.such.path [test_task_service_lambda::test_raise_exception_catch_output_path[$.no.such.path]]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          ResultPath: '$.Payload',
          OutputPath: '$.no.such.path',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
          Next: 'ProcessResult',
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', Parameters: { 'InputValue.$': '$' }, End: true },
      },
    },
    input: {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}},
    lambdas: { boom },
    expect: {"status": "SUCCEEDED", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "boom", "Payload": {"payload_input_value_0": 0}}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}, "inputDetails": {"truncated": false}, "name": "HandleGeneralError"}],
      ['PassStateExited', 8, 7, {"name": "HandleGeneralError", "output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"InputValue": {"Error": "Exception", "Cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // scenarios/test_base_scenarios.py::TestBaseScenarios::test_lambda_empty_retry (recorded 23-11-2023, 18:08:38)
    name: "Lambda ARN resource: empty Retry list, the first error fails the execution [test_base_scenarios::test_lambda_empty_retry]",
    definition: { StartAt: 'LambdaTask', States: { LambdaTask: { Type: 'Task', Resource: fnArn('boom'), Retry: [], End: true } } },
    input: {},
    lambdas: { boom },
    expect: {"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "LambdaTask"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:boom"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
      ['ExecutionFailed', 6, 5, {"cause": {"errorMessage": "Some exception was raised.", "errorType": "Exception"}, "error": "Exception"}],
    ],
  },
];
