/**
 * The context object ($$) in InputPath, OutputPath, a Choice Variable and Fail paths, as recorded
 * on AWS in localstack's tests/aws/services/stepfunctions/v2/context_object/test_context_object.snapshot.json.
 * The state machine and execution names appear as <sm> and <exec>, times as "date".
 */
import { ROLE, type ConformanceCase } from '../harness.js';

/** Returns its event. */
const identity = (event: unknown): unknown => event;

export const cases: ConformanceCase[] = [
  {
    // context_object/test_context_object.py::TestSnfBase::test_input_path[$$] (recorded 11-09-2024, 12:46:59)
    name: "Context object as InputPath $$ [test_context_object::test_input_path[$$]]",
    definition: { StartAt: 'TestState', States: { TestState: { Type: 'Pass', InputPath: '$$', End: true } } },
    input: {"input-value": 0},
    expect: {"status": "SUCCEEDED", "output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['PassStateExited', 3, 2, {"name": "TestState", "output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_output_path[$$] (recorded 11-09-2024, 12:47:28)
    name: "Context object as OutputPath $$ [test_context_object::test_output_path[$$]]",
    definition: { StartAt: 'TestState', States: { TestState: { Type: 'Pass', OutputPath: '$$', End: true } } },
    input: {"input-value": 0},
    expect: {"status": "SUCCEEDED", "output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['PassStateExited', 3, 2, {"name": "TestState", "output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:<sm>:<exec>", "Input": {"input-value": 0}, "StartTime": "date", "Name": "<exec>", "RoleArn": ROLE, "RedriveCount": 0}, "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:<sm>", "Name": "<sm>"}, "State": {"Name": "TestState", "EnteredTime": "date"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_input_path[$$.Execution.Input] (recorded 11-09-2024, 12:47:13)
    name: "Context object as InputPath $$.Execution.Input [test_context_object::test_input_path[$$.Execution.Input]]",
    definition: { StartAt: 'TestState', States: { TestState: { Type: 'Pass', InputPath: '$$.Execution.Input', End: true } } },
    input: {"input-value": 0},
    expect: {"status": "SUCCEEDED", "output": {"input-value": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['PassStateExited', 3, 2, {"name": "TestState", "output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_output_path[$$.Execution.Input] (recorded 11-09-2024, 12:47:42)
    name: "Context object as OutputPath $$.Execution.Input [test_context_object::test_output_path[$$.Execution.Input]]",
    definition: { StartAt: 'TestState', States: { TestState: { Type: 'Pass', OutputPath: '$$.Execution.Input', End: true } } },
    input: {"input-value": 0},
    expect: {"status": "SUCCEEDED", "output": {"input-value": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['PassStateExited', 3, 2, {"name": "TestState", "output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_variable (recorded 11-09-2024, 12:48:23)
    name: "Context object in a Choice Variable [test_context_object::test_variable]",
    definition: {
      StartAt: 'TestState',
      States: {
        TestState: { Type: 'Choice', Choices: [{ Variable: '$$.Execution.Input.input-value', NumericLessThanEquals: 0, Next: 'QuitChoiceMatched' }], Default: 'QuitNoChoiceMatched' },
        QuitChoiceMatched: { Type: 'Pass', End: true },
        QuitNoChoiceMatched: { Type: 'Pass', End: true },
      },
    },
    input: {"input-value": 0},
    expect: {"status": "SUCCEEDED", "output": {"input-value": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['ChoiceStateEntered', 2, 0, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['ChoiceStateExited', 3, 2, {"name": "TestState", "output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"input-value": 0}, "inputDetails": {"truncated": false}, "name": "QuitChoiceMatched"}],
      ['PassStateExited', 5, 4, {"name": "QuitChoiceMatched", "output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": {"input-value": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_error_cause_path (recorded 28-11-2024, 14:56:32)
    name: "Context object in Fail ErrorPath and CausePath [test_context_object::test_error_cause_path]",
    definition: { StartAt: 'StartState', States: { StartState: { Type: 'Fail', ErrorPath: '$$.State.Name', CausePath: '$$.StateMachine.Name' } } },
    input: {},
    expect: {"status": "FAILED", "error": "StartState", "cause": "<sm>"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['FailStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "StartState"}],
      ['ExecutionFailed', 3, 2, {"cause": "<sm>", "error": "StartState"}],
    ],
  },
  {
    // context_object/test_context_object.py::TestSnfBase::test_result_selector (recorded 11-09-2024, 12:48:08)
    name: "Context object in a lambda:invoke ResultSelector [test_context_object::test_result_selector]",
    definition: {
      StartAt: 'TestState',
      States: {
        TestState: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.FunctionName', Payload: { 'Input.$': '$' } },
          ResultSelector: { 'LambdaOutput.$': '$', 'ContextObjectValue.$': '$$.Execution.Input' },
          End: true,
        },
      },
    },
    input: {"FunctionName": "identity", "Payload": {"input-value": 0}},
    lambdas: { identity },
    divergence: "Content-Length of the Lambda response: the recording used a Python function, whose JSON has spaces after , and :",
    expect: {"status": "SUCCEEDED", "output": {"ContextObjectValue": {"FunctionName": "identity", "Payload": {"input-value": 0}}, "LambdaOutput": {"ExecutedVersion": "$LATEST", "Payload": {"Input": {"FunctionName": "identity", "Payload": {"input-value": 0}}}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["82"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "82", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionName": "identity", "Payload": {"input-value": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"FunctionName": "identity", "Payload": {"input-value": 0}}, "inputDetails": {"truncated": false}, "name": "TestState"}],
      ['TaskScheduled', 3, 2, {"parameters": {"Payload": {"Input": {"FunctionName": "identity", "Payload": {"input-value": 0}}}, "FunctionName": "identity"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {"Input": {"FunctionName": "identity", "Payload": {"input-value": 0}}}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["82"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "82", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "TestState", "output": {"ContextObjectValue": {"FunctionName": "identity", "Payload": {"input-value": 0}}, "LambdaOutput": {"ExecutedVersion": "$LATEST", "Payload": {"Input": {"FunctionName": "identity", "Payload": {"input-value": 0}}}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["82"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "82", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {"ContextObjectValue": {"FunctionName": "identity", "Payload": {"input-value": 0}}, "LambdaOutput": {"ExecutedVersion": "$LATEST", "Payload": {"Input": {"FunctionName": "identity", "Payload": {"input-value": 0}}}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["82"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "82", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}}, "outputDetails": {"truncated": false}}],
    ],
  },
];
