/**
 * States.DataLimitExceeded, as recorded on AWS in localstack's
 * tests/aws/services/stepfunctions/v2/error_handling/test_states_errors.snapshot.json.
 */
import { fnArn, ROLE, type ConformanceCase } from '../harness.js';

/** Returns a 257 KiB string, as the recordings' function does. */
const large = (): string => 'a'.repeat(257 * 1024);

export const cases: ConformanceCase[] = [
  {
    // error_handling/test_states_errors.py::TestStatesErrors::test_service_task_lambada_data_limit_exceeded_on_large_utf8_response (recorded 21-03-2024, 15:34:54)
    name: "lambda:invoke integration: a result over 256 KiB is States.DataLimitExceeded [test_states_errors::test_service_task_lambada_data_limit_exceeded_on_large_utf8_response]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Next: 'ProcessResult',
          Catch: [
            { ErrorEquals: ['States.DataLimitExceeded'], Next: 'HandleDataLimitExceeded' },
            { ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' },
          ],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleDataLimitExceeded: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "large", "Payload": null},
    lambdas: { large },
    expect: {"status": "SUCCEEDED", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "large", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.", "error": "States.DataLimitExceeded", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "inputDetails": {"truncated": false}, "name": "HandleDataLimitExceeded"}],
      ['PassStateExited', 8, 7, {"name": "HandleDataLimitExceeded", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_states_errors.py::TestStatesErrors::test_task_lambda_data_limit_exceeded_on_large_utf8_response (recorded 21-03-2024, 15:35:27)
    name: "Lambda ARN resource: a result over 256 KiB is States.DataLimitExceeded [test_states_errors::test_task_lambda_data_limit_exceeded_on_large_utf8_response]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: fnArn('large'),
          Next: 'ProcessResult',
          Catch: [
            { ErrorEquals: ['States.DataLimitExceeded'], Next: 'HandleDataLimitExceeded' },
            { ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' },
          ],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleDataLimitExceeded: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "large", "Payload": null},
    lambdas: { large },
    expect: {"status": "SUCCEEDED", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:large"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit.", "error": "States.DataLimitExceeded"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "inputDetails": {"truncated": false}, "name": "HandleDataLimitExceeded"}],
      ['PassStateExited', 8, 7, {"name": "HandleDataLimitExceeded", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_states_errors.py::TestStatesErrors::test_start_large_input (recorded 21-03-2024, 16:07:09)
    name: "Pass: a Result over 256 KiB fails the execution with States.DataLimitExceeded [test_states_errors::test_start_large_input]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'a'.repeat(257 * 1024) }, End: true } } },
    input: {},
    expect: {"status": "FAILED", "error": "States.DataLimitExceeded", "cause": "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['ExecutionFailed', 3, 2, {"cause": "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit.", "error": "States.DataLimitExceeded"}],
    ],
  },
  {
    // error_handling/test_states_errors.py::TestStatesErrors::test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response (recorded 21-03-2024, 15:35:11)
    name: "lambda:invoke integration: States.ALL catches States.DataLimitExceeded [test_states_errors::test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Next: 'ProcessResult',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "large", "Payload": null},
    lambdas: { large },
    expect: {"status": "SUCCEEDED", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['TaskScheduled', 3, 2, {"parameters": {"FunctionName": "large", "Payload": null}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskFailed', 5, 4, {"cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.", "error": "States.DataLimitExceeded", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "inputDetails": {"truncated": false}, "name": "HandleGeneralError"}],
      ['PassStateExited', 8, 7, {"name": "HandleGeneralError", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // error_handling/test_states_errors.py::TestStatesErrors::test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response (recorded 21-03-2024, 15:35:43)
    name: "Lambda ARN resource: States.ALL catches States.DataLimitExceeded [test_states_errors::test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response]",
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: fnArn('large'),
          Next: 'ProcessResult',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: {"FunctionName": "large", "Payload": null},
    lambdas: { large },
    expect: {"status": "SUCCEEDED", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "name": "InvokeLambda"}],
      ['LambdaFunctionScheduled', 3, 2, {"input": {"FunctionName": "large", "Payload": null}, "inputDetails": {"truncated": false}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:large"}],
      ['LambdaFunctionStarted', 4, 3],
      ['LambdaFunctionFailed', 5, 4, {"cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit.", "error": "States.DataLimitExceeded"}],
      ['TaskStateExited', 6, 5, {"name": "InvokeLambda", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 7, 6, {"input": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "inputDetails": {"truncated": false}, "name": "HandleGeneralError"}],
      ['PassStateExited', 8, 7, {"name": "HandleGeneralError", "output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 9, 8, {"output": {"Error": "States.DataLimitExceeded", "Cause": "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:large' returned a result with a size exceeding the maximum number of bytes service limit."}, "outputDetails": {"truncated": false}}],
    ],
  },
];
