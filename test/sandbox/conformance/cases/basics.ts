/**
 * Pass, Fail, Wait and JSONPath basics, as recorded on AWS in localstack's
 * tests/aws/services/stepfunctions/v2/base/test_base.snapshot.json and test_wait.snapshot.json.
 */
import { ROLE, type ConformanceCase } from '../harness.js';

export const cases: ConformanceCase[] = [
  {
    // base/test_base.py::TestSnfBase::test_state_fail (recorded 06-03-2024, 10:29:14)
    name: "Fail state with Error and Cause [test_base::test_state_fail]",
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } },
    input: {},
    expect: {"status": "FAILED", "error": "SomeFailure", "cause": "This state machines raises a 'SomeFailure' failure."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['FailStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "FailState"}],
      ['ExecutionFailed', 3, 2, {"cause": "This state machines raises a 'SomeFailure' failure.", "error": "SomeFailure"}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_fail_path (recorded 07-02-2024, 13:49:36)
    name: "Fail state with ErrorPath and CausePath [test_base::test_state_fail_path]",
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' } } },
    input: {"Error": "error string", "Cause": "cause string"},
    expect: {"status": "FAILED", "error": "error string", "cause": "cause string"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"Error": "error string", "Cause": "cause string"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['FailStateEntered', 2, 0, {"input": {"Error": "error string", "Cause": "cause string"}, "inputDetails": {"truncated": false}, "name": "FailState"}],
      ['ExecutionFailed', 3, 2, {"cause": "cause string", "error": "error string"}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_fail_intrinsic (recorded 07-02-2024, 13:49:50)
    name: "Fail state with intrinsic ErrorPath and CausePath [test_base::test_state_fail_intrinsic]",
    definition: {
      StartAt: 'FailState',
      States: {
        FailState: {
          Type: 'Fail',
          ErrorPath: "States.Format('{}', $.Error)",
          CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
        },
      },
    },
    input: {"Error": "error string", "Cause": "cause string"},
    expect: {"status": "FAILED", "error": "error string", "cause": "This is a custom error message for error string, caused by cause string."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"Error": "error string", "Cause": "cause string"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['FailStateEntered', 2, 0, {"input": {"Error": "error string", "Cause": "cause string"}, "inputDetails": {"truncated": false}, "name": "FailState"}],
      ['ExecutionFailed', 3, 2, {"cause": "This is a custom error message for error string, caused by cause string.", "error": "error string"}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_fail_empty (recorded 06-03-2024, 10:24:13)
    name: "Fail state without Error or Cause [test_base::test_state_fail_empty]",
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail' } } },
    input: {},
    expect: {"status": "FAILED"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['FailStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "FailState"}],
      ['ExecutionFailed', 3, 2, {}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_pass_result (recorded 07-02-2024, 13:50:16)
    name: "Pass state with Result [test_base::test_state_pass_result]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"Arg1": "argument1"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['PassStateExited', 3, 2, {"name": "State_1", "output": {"Arg1": "argument1"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"Arg1": "argument1"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_pass_result_null_input_output_paths (recorded 07-02-2024, 13:52:29)
    name: "Pass states with InputPath null and OutputPath null [test_base::test_state_pass_result_null_input_output_paths]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { Arg1: 'argument1', 'FromInput.$': '$' }, Next: 'State1' },
        State1: { Type: 'Pass', InputPath: null, Parameters: { Arg2: 'argument2', 'FromInput.$': '$' }, Next: 'State2' },
        State2: { Type: 'Pass', OutputPath: null, End: true },
      },
    },
    input: {"InputValue": 0},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"InputValue": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"InputValue": 0}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {"Arg1": "argument1", "FromInput": {"InputValue": 0}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"Arg1": "argument1", "FromInput": {"InputValue": 0}}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"name": "State1", "output": {"Arg2": "argument2", "FromInput": {}}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 6, 5, {"input": {"Arg2": "argument2", "FromInput": {}}, "inputDetails": {"truncated": false}, "name": "State2"}],
      ['PassStateExited', 7, 6, {"name": "State2", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 8, 7, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_state_pass_regex_json_path_base (recorded 07-02-2024, 13:52:55)
    name: "Pass state with a JSONPath filter expression [test_base::test_state_pass_regex_json_path_base]",
    definition: { StartAt: 'State0', States: { State0: { Type: 'Pass', Parameters: { 'FromInput.$': '$.users[?(@.status == 0)]' }, End: true } } },
    input: {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]},
    expect: {"status": "SUCCEEDED", "output": {"FromInput": [{"year": 1997, "status": 0}]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {"FromInput": [{"year": 1997, "status": 0}]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FromInput": [{"year": 1997, "status": 0}]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_decl_version_1_0 (recorded 07-02-2024, 13:52:02)
    name: "definition Version 1.0 [test_base::test_decl_version_1_0]",
    definition: { StartAt: 'State_1', Version: '1.0', States: { State_1: { Type: 'Pass', End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['PassStateExited', 3, 2, {"name": "State_1", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_access[$.items[0]] (recorded 16-08-2024, 15:52:50)
    name: "JSONPath array index $.items[0] [test_base::test_json_path_array_access[$.items[0]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.items[0]' }, End: true } } },
    input: {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]},
    expect: {"status": "SUCCEEDED", "output": {"item": {"item_key": 0}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": {"item_key": 0}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": {"item_key": 0}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_access[$.items[10]] (recorded 16-08-2024, 15:53:06)
    name: "JSONPath array index $.items[10] [test_base::test_json_path_array_access[$.items[10]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.items[10]' }, End: true } } },
    input: {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]},
    expect: {"status": "SUCCEEDED", "output": {"item": {"item_key": 10}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"items": [{"item_key": 0}, {"item_key": 1}, {"item_key": 2}, {"item_key": 3}, {"item_key": 4}, {"item_key": 5}, {"item_key": 6}, {"item_key": 7}, {"item_key": 8}, {"item_key": 9}, {"item_key": 10}]}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": {"item_key": 10}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": {"item_key": 10}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$[*]] (recorded 01-04-2025, 20:52:06)
    name: "JSONPath wildcard or slice $[*] on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$[*]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$[*]' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$.items[*]] (recorded 01-04-2025, 20:52:20)
    name: "JSONPath wildcard or slice $.items[*] on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$.items[*]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.items[*]' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$.items[1:]] (recorded 01-04-2025, 20:52:33)
    name: "JSONPath wildcard or slice $.items[1:] on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$.items[1:]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.items[1:]' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$.item.items[:1]] (recorded 01-04-2025, 20:53:25)
    name: "JSONPath wildcard or slice $.item.items[:1] on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$.item.items[:1]]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.item.items[:1]' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$.items[*].itemValue] (recorded 01-04-2025, 20:53:51)
    name: "JSONPath wildcard or slice $.items[*].itemValue on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$.items[*].itemValue]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.items[*].itemValue' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input[$.item.items[1:5].itemValue] (recorded 01-04-2025, 20:54:31)
    name: "JSONPath wildcard or slice $.item.items[1:5].itemValue on empty input [test_base::test_json_path_array_wildcard_or_slice_with_no_input[$.item.items[1:5].itemValue]]",
    definition: { StartAt: 'EntryState', States: { EntryState: { Type: 'Pass', Parameters: { 'item.$': '$.item.items[1:5].itemValue' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"item": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "EntryState"}],
      ['PassStateExited', 3, 2, {"name": "EntryState", "output": {"item": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"item": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_base_wait_seconds_path[-1] (recorded 22-03-2024, 21:37:11)
    name: "Wait SecondsPath -1 [test_wait::test_base_wait_seconds_path[-1]]",
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } },
    input: {"input": {"waitSeconds": -1}},
    expect: {"status": "FAILED", "error": "States.Runtime", "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input": {"waitSeconds": -1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"input": {"waitSeconds": -1}}, "inputDetails": {"truncated": false}, "name": "WaitState"}],
      ['ExecutionFailed', 3, 2, {"cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1", "error": "States.Runtime"}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_base_wait_seconds_path[0] (recorded 22-03-2024, 21:37:45)
    name: "Wait SecondsPath 0 [test_wait::test_base_wait_seconds_path[0]]",
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } },
    input: {"input": {"waitSeconds": 0}},
    expect: {"status": "SUCCEEDED", "output": {"input": {"waitSeconds": 0}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input": {"waitSeconds": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"input": {"waitSeconds": 0}}, "inputDetails": {"truncated": false}, "name": "WaitState"}],
      ['WaitStateExited', 3, 2, {"name": "WaitState", "output": {"input": {"waitSeconds": 0}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input": {"waitSeconds": 0}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_base_wait_seconds_path[1] (recorded 22-03-2024, 21:38:00)
    name: "Wait SecondsPath 1 [test_wait::test_base_wait_seconds_path[1]]",
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } },
    input: {"input": {"waitSeconds": 1}},
    expect: {"status": "SUCCEEDED", "output": {"input": {"waitSeconds": 1}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input": {"waitSeconds": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"input": {"waitSeconds": 1}}, "inputDetails": {"truncated": false}, "name": "WaitState"}],
      ['WaitStateExited', 3, 2, {"name": "WaitState", "output": {"input": {"waitSeconds": 1}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input": {"waitSeconds": 1}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_base_wait_seconds_path[1.5] (recorded 22-03-2024, 21:38:15)
    name: "Wait SecondsPath 1.5 [test_wait::test_base_wait_seconds_path[1.5]]",
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } },
    input: {"input": {"waitSeconds": 1.5}},
    expect: {"status": "FAILED", "error": "States.Runtime", "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input": {"waitSeconds": 1.5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"input": {"waitSeconds": 1.5}}, "inputDetails": {"truncated": false}, "name": "WaitState"}],
      ['ExecutionFailed', 3, 2, {"cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5", "error": "States.Runtime"}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_wait_timestamppath[Z] (recorded 13-12-2023, 07:09:32)
    name: "Wait TimestampPath with suffix \"Z\" [test_wait::test_wait_timestamppath[Z]]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: {"start_at": "2023-12-31T23:59:00Z"},
    expect: {"status": "SUCCEEDED", "output": {"start_at": "2023-12-31T23:59:00Z"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"start_at": "2023-12-31T23:59:00Z"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"start_at": "2023-12-31T23:59:00Z"}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['WaitStateExited', 3, 2, {"name": "State_1", "output": {"start_at": "2023-12-31T23:59:00Z"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"start_at": "2023-12-31T23:59:00Z"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_wait_timestamppath[.000000Z] (recorded 13-12-2023, 07:09:46)
    name: "Wait TimestampPath with suffix \".000000Z\" [test_wait::test_wait_timestamppath[.000000Z]]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: {"start_at": "2023-12-31T23:59:00.000000Z"},
    expect: {"status": "SUCCEEDED", "output": {"start_at": "2023-12-31T23:59:00.000000Z"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"start_at": "2023-12-31T23:59:00.000000Z"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"start_at": "2023-12-31T23:59:00.000000Z"}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['WaitStateExited', 3, 2, {"name": "State_1", "output": {"start_at": "2023-12-31T23:59:00.000000Z"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"start_at": "2023-12-31T23:59:00.000000Z"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_wait_timestamppath[] (recorded 13-12-2023, 07:10:17)
    name: "Wait TimestampPath with suffix \"\" [test_wait::test_wait_timestamppath[]]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: {"start_at": "2023-12-31T23:59:00"},
    expect: {"status": "FAILED", "error": "States.Runtime", "cause": "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2023-12-31T23:59:00"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"start_at": "2023-12-31T23:59:00"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"start_at": "2023-12-31T23:59:00"}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['ExecutionFailed', 3, 2, {"cause": "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2023-12-31T23:59:00", "error": "States.Runtime"}],
    ],
  },
  {
    // base/test_wait.py::TestSfnWait::test_wait_timestamppath[.000000] (recorded 13-12-2023, 07:10:32)
    name: "Wait TimestampPath with suffix \".000000\" [test_wait::test_wait_timestamppath[.000000]]",
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: {"start_at": "2023-12-31T23:59:00.000000"},
    expect: {"status": "FAILED", "error": "States.Runtime", "cause": "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2023-12-31T23:59:00.000000"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"start_at": "2023-12-31T23:59:00.000000"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {"start_at": "2023-12-31T23:59:00.000000"}, "inputDetails": {"truncated": false}, "name": "State_1"}],
      ['ExecutionFailed', 3, 2, {"cause": "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2023-12-31T23:59:00.000000", "error": "States.Runtime"}],
    ],
  },
];
