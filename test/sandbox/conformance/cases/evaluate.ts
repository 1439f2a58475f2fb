/**
 * JSONata expressions in Map (Items, MaxConcurrency, Tolerated*), Task (HeartbeatSeconds) and
 * Pass (regular expressions, $merge) fields, as recorded on AWS in localstack's
 * tests/aws/services/stepfunctions/v2/evaluate_jsonata/test_base_evaluate_expressions.snapshot.json.
 */
import { fnArn, ROLE, type ConformanceCase } from '../harness.js';

/** Returns its event. */
const identity = (event: unknown): unknown => event;

/** The recordings' Map state; each case overrides one field with an expression. */
const MAP_START = { Type: 'Map', Items: [1], MaxConcurrency: 1, ItemProcessor: { StartAt: 'Process', States: { Process: { Type: 'Pass', End: true } } }, End: true };

export const cases: ConformanceCase[] = [
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map[ITEMS] (recorded 22-07-2025, 13:31:23)
    name: "JSONata Map Items with an expression element [test_base_evaluate_expressions::test_base_map[ITEMS]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, Items: [1, '{% $number("2") %}', 3] } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1, 2, 3]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 3}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapIterationStarted', 8, 6, {"index": 1, "name": "Start"}],
      ['PassStateEntered', 9, 8, {"input": 2, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 10, 9, {"name": "Process", "output": 2, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 11, 10, {"index": 1, "name": "Start"}],
      ['MapIterationStarted', 12, 10, {"index": 2, "name": "Start"}],
      ['PassStateEntered', 13, 12, {"input": 3, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 14, 13, {"name": "Process", "output": 3, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 15, 14, {"index": 2, "name": "Start"}],
      ['MapStateSucceeded', 16, 15],
      ['MapStateExited', 17, 15, {"name": "Start", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 18, 17, {"output": [1, 2, 3], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map[ITEMS_DOUBLE_QUOTES] (recorded 22-07-2025, 13:31:39)
    name: "JSONata Map Items with an expression element (double quotes) [test_base_evaluate_expressions::test_base_map[ITEMS_DOUBLE_QUOTES]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, Items: [1, "{% $number('2') %}", 3] } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1, 2, 3]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 3}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapIterationStarted', 8, 6, {"index": 1, "name": "Start"}],
      ['PassStateEntered', 9, 8, {"input": 2, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 10, 9, {"name": "Process", "output": 2, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 11, 10, {"index": 1, "name": "Start"}],
      ['MapIterationStarted', 12, 10, {"index": 2, "name": "Start"}],
      ['PassStateEntered', 13, 12, {"input": 3, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 14, 13, {"name": "Process", "output": 3, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 15, 14, {"index": 2, "name": "Start"}],
      ['MapStateSucceeded', 16, 15],
      ['MapStateExited', 17, 15, {"name": "Start", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 18, 17, {"output": [1, 2, 3], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map[MAX_CONCURRENCY] (recorded 22-07-2025, 13:31:53)
    name: "JSONata Map MaxConcurrency expression [test_base_evaluate_expressions::test_base_map[MAX_CONCURRENCY]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, MaxConcurrency: '{% $variable := 1 %}' } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map[TOLERATED_FAILURE_PERCENTAGE] (recorded 22-07-2025, 13:32:08)
    name: "JSONata Map ToleratedFailurePercentage expression [test_base_evaluate_expressions::test_base_map[TOLERATED_FAILURE_PERCENTAGE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, ToleratedFailurePercentage: '{% $variable := 1 %}' } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map[TOLERATED_FAILURE_COUNT] (recorded 22-07-2025, 13:32:23)
    name: "JSONata Map ToleratedFailureCount expression [test_base_evaluate_expressions::test_base_map[TOLERATED_FAILURE_COUNT]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, ToleratedFailureCount: '{% $variable := 1 %}' } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_task[HEARTBEAT_SECONDS] (recorded 22-07-2025, 13:31:08)
    name: "JSONata Task HeartbeatSeconds expression [test_base_evaluate_expressions::test_base_task[HEARTBEAT_SECONDS]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { Payload: {}, FunctionName: fnArn('identity') }, End: true, HeartbeatSeconds: '{% $variable := 1 %}' } } },
    input: {},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"heartbeatInSeconds": 1, "parameters": {"Payload": {}, "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:identity"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_task_from_input[HEARTBEAT_SECONDS] (recorded 22-07-2025, 13:33:41)
    name: "JSONata Task HeartbeatSeconds from the input [test_base_evaluate_expressions::test_base_task_from_input[HEARTBEAT_SECONDS]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { Payload: {}, FunctionName: fnArn('identity') }, End: true, HeartbeatSeconds: '{% $states.input.input_value %}' } } },
    input: {"input_value": 1},
    lambdas: { identity },
    expect: {"status": "SUCCEEDED", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['TaskScheduled', 3, 2, {"heartbeatInSeconds": 1, "parameters": {"Payload": {}, "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:identity"}, "region": "us-east-1", "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStarted', 4, 3, {"resource": "invoke", "resourceType": "lambda"}],
      ['TaskSucceeded', 5, 4, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}, "resource": "invoke", "resourceType": "lambda"}],
      ['TaskStateExited', 6, 5, {"name": "Start", "output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 7, 6, {"output": {"ExecutedVersion": "$LATEST", "Payload": {}, "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"], "x-amzn-Remapped-Content-Length": ["0"], "Connection": ["keep-alive"], "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": ["2"], "Date": "date", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id", "Content-Type": ["application/json"]}, "HttpHeaders": {"Connection": "keep-alive", "Content-Length": "2", "Content-Type": "application/json", "Date": "date", "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0", "x-amzn-RequestId": "x-amzn-RequestId", "X-Amzn-Trace-Id": "X-Amzn-Trace-Id"}, "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "RequestId"}, "StatusCode": 200}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map_from_input[ITEMS] (recorded 22-07-2025, 13:34:05)
    name: "JSONata Map ITEMS from the input [test_base_evaluate_expressions::test_base_map_from_input[ITEMS]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, Items: '{% $states.input.input_value %}' } } },
    input: {"input_value": [1, 2, 3]},
    expect: {"status": "SUCCEEDED", "output": [1, 2, 3]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": [1, 2, 3]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"input_value": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 3}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapIterationStarted', 8, 6, {"index": 1, "name": "Start"}],
      ['PassStateEntered', 9, 8, {"input": 2, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 10, 9, {"name": "Process", "output": 2, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 11, 10, {"index": 1, "name": "Start"}],
      ['MapIterationStarted', 12, 10, {"index": 2, "name": "Start"}],
      ['PassStateEntered', 13, 12, {"input": 3, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 14, 13, {"name": "Process", "output": 3, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 15, 14, {"index": 2, "name": "Start"}],
      ['MapStateSucceeded', 16, 15],
      ['MapStateExited', 17, 15, {"name": "Start", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 18, 17, {"output": [1, 2, 3], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map_from_input[MAX_CONCURRENCY] (recorded 22-07-2025, 13:34:23)
    name: "JSONata Map MAX_CONCURRENCY from the input [test_base_evaluate_expressions::test_base_map_from_input[MAX_CONCURRENCY]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, MaxConcurrency: '{% $states.input.input_value %}' } } },
    input: {"input_value": 1},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map_from_input[TOLERATED_FAILURE_PERCENTAGE] (recorded 22-07-2025, 13:34:40)
    name: "JSONata Map TOLERATED_FAILURE_PERCENTAGE from the input [test_base_evaluate_expressions::test_base_map_from_input[TOLERATED_FAILURE_PERCENTAGE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, ToleratedFailurePercentage: '{% $states.input.input_value %}' } } },
    input: {"input_value": 100},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": 100}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"input_value": 100}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map_from_input[TOLERATED_FAILURE_COUNT] (recorded 22-07-2025, 13:34:58)
    name: "JSONata Map TOLERATED_FAILURE_COUNT from the input [test_base_evaluate_expressions::test_base_map_from_input[TOLERATED_FAILURE_COUNT]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { ...MAP_START, ToleratedFailureCount: '{% $states.input.input_value %}' } } },
    input: {"input_value": 1},
    expect: {"status": "SUCCEEDED", "output": [1]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['MapStateEntered', 2, 0, {"input": {"input_value": 1}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['MapStateStarted', 3, 2, {"length": 1}],
      ['MapIterationStarted', 4, 3, {"index": 0, "name": "Start"}],
      ['PassStateEntered', 5, 4, {"input": 1, "inputDetails": {"truncated": false}, "name": "Process"}],
      ['PassStateExited', 6, 5, {"name": "Process", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 7, 6, {"index": 0, "name": "Start"}],
      ['MapStateSucceeded', 8, 7],
      ['MapStateExited', 9, 7, {"name": "Start", "output": [1], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 10, 9, {"output": [1], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_jsonata_regular_expressions[BASE] (recorded 22-07-2025, 13:32:38)
    name: "JSONata regular expression BASE [test_base_evaluate_expressions::test_base_jsonata_regular_expressions[BASE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: '{% $contains("hello$world", /^hello\\$/) %}', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": true},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"name": "Start", "output": true, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": true, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_jsonata_regular_expressions[BASE_FALSE] (recorded 22-07-2025, 13:32:53)
    name: "JSONata regular expression BASE_FALSE [test_base_evaluate_expressions::test_base_jsonata_regular_expressions[BASE_FALSE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: '{% $contains("hello$world", /^hello\\ /) %}', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": false},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"name": "Start", "output": false, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": false, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_jsonata_regular_expressions[BASE_SINGLE_QUOTE] (recorded 22-07-2025, 13:33:07)
    name: "JSONata regular expression BASE_SINGLE_QUOTE [test_base_evaluate_expressions::test_base_jsonata_regular_expressions[BASE_SINGLE_QUOTE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: "{% $contains('hello$world', /^hello\\$/) %}", End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": true},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"name": "Start", "output": true, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": true, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_jsonata_regular_expressions[BASE_SINGLE_QUOTE_FALSE] (recorded 22-07-2025, 13:33:22)
    name: "JSONata regular expression BASE_SINGLE_QUOTE_FALSE [test_base_evaluate_expressions::test_base_jsonata_regular_expressions[BASE_SINGLE_QUOTE_FALSE]]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: "{% $contains('hello$world', /^hello\\ /) %}", End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": false},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"name": "Start", "output": false, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": false, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_merge_with_dynamic_args (recorded 11-02-2026, 07:16:48)
    name: "JSONata $merge with arguments from the input [test_base_evaluate_expressions::test_merge_with_dynamic_args]",
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: '{% $merge([$states.input.part1, $states.input.part2]) %}', End: true } } },
    input: {"part1": {"hello": "world"}, "part2": {"foo": "bar"}},
    expect: {"status": "SUCCEEDED", "output": {"hello": "world", "foo": "bar"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"part1": {"hello": "world"}, "part2": {"foo": "bar"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"part1": {"hello": "world"}, "part2": {"foo": "bar"}}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"name": "Start", "output": {"hello": "world", "foo": "bar"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"hello": "world", "foo": "bar"}, "outputDetails": {"truncated": false}}],
    ],
  },
];
