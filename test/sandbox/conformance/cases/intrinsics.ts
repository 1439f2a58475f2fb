/**
 * Intrinsic functions, as recorded on AWS in localstack's
 * tests/aws/services/stepfunctions/v2/intrinsic_functions/*.snapshot.json: each case is one Pass
 * state whose `FunctionResult.$` is the intrinsic, run on one recorded input.
 */
import { ROLE, type ConformanceCase } from '../harness.js';

/** A one-state machine evaluating `expression` into `FunctionResult`. */
function intrinsic(expression: string): Record<string, unknown> {
  return { StartAt: 'State_0', States: { State_0: { Type: 'Pass', Parameters: { 'FunctionResult.$': expression }, End: true } } };
}

export const cases: ConformanceCase[] = [
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #0 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "", "snd": ""}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["", ""]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "", "snd": ""}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "", "snd": ""}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["", ""]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["", ""]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #1 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": " ", "snd": " "}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [" ", " "]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": " ", "snd": " "}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": " ", "snd": " "}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #2 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["HelloWorld", "HelloWorld"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["HelloWorld", "HelloWorld"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["HelloWorld", "HelloWorld"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #3 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": null, "snd": null}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [null, null]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": null, "snd": null}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": null, "snd": null}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [null, null]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [null, null]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #4 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1, "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [1, 1]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [1, 1]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [1, 1]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #5 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.1, "snd": 1.1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [1.1, 1.1]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.1, "snd": 1.1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.1, "snd": 1.1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [1.1, 1.1]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [1.1, 1.1]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #6 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\": 1, \"Arg2\": []}"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\": 1, \"Arg2\": []}"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\": 1, \"Arg2\": []}"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_2 (recorded 31-03-2023, 23:29:25)
    name: "States.Array, input #7 [test_array::test_array_2]",
    definition: intrinsic("States.Array($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [{"Arg1": 1, "Arg2": []}, {"Arg1": 1, "Arg2": []}]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [{"Arg1": 1, "Arg2": []}, {"Arg1": 1, "Arg2": []}]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [{"Arg1": 1, "Arg2": []}, {"Arg1": 1, "Arg2": []}]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #0 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #1 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #2 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #3 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 4}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 4}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 4}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #4 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #5 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #6 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0], "snd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #7 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0], "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #8 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0], "snd": 4}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 4}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 4}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #9 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #10 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0], [1]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0], [1]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0], [1]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #11 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1], "snd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #12 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1], "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #13 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1], "snd": 4}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 4}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 4}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #14 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #15 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0], [1], [2]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0], [1], [2]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0], [1], [2]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #16 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2], "snd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1], [2]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1], [2]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1], [2]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #17 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2], "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #18 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2], "snd": 4}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 4}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 4}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #19 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #20 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0], [1], [2], [3]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0], [1], [2], [3]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0], [1], [2], [3]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #21 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1], [2, 3]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1], [2, 3]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1], [2, 3]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #22 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2], [3]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2], [3]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2], [3]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #23 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 4}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2, 3]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 4}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 4}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2, 3]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2, 3]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_partition (recorded 09-02-2023, 10:20:32)
    name: "States.ArrayPartition, input #24 [test_array::test_array_partition]",
    definition: intrinsic("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [[0, 1, 2, 3]]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [[0, 1, 2, 3]]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [[0, 1, 2, 3]]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #0 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": null}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": false}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": null}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": null}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #1 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": []}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": false}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": []}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": []}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #2 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [], "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": false}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [], "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [], "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #3 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": null}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": false}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": null}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": null}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #4 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": [1, 2, 3]}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": true}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": [1, 2, 3]}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [[1, 2, 3], 2], "snd": [1, 2, 3]}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #5 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": []}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": false}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": []}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": []}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": false}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #6 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": {"1": 2, "2": []}}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": true}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": {"1": 2, "2": []}}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [{"1": 2, "2": []}], "snd": {"1": 2, "2": []}}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #7 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [true, false], "snd": true}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": true}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [true, false], "snd": true}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [true, false], "snd": true}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_contains (recorded 09-02-2023, 10:20:37)
    name: "States.ArrayContains, input #8 [test_array::test_array_contains]",
    definition: intrinsic("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [true, false], "snd": false}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": true}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [true, false], "snd": false}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [true, false], "snd": false}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_range (recorded 09-02-2023, 10:20:40)
    name: "States.ArrayRange, input #0 [test_array::test_array_range]",
    definition: intrinsic("States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"),
    input: {"FunctionInput": {"fst": 0, "snd": 9, "trd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [0, 3, 6, 9]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 0, "snd": 9, "trd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 0, "snd": 9, "trd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [0, 3, 6, 9]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [0, 3, 6, 9]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_range (recorded 09-02-2023, 10:20:40)
    name: "States.ArrayRange, input #1 [test_array::test_array_range]",
    definition: intrinsic("States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"),
    input: {"FunctionInput": {"fst": 0, "snd": 10, "trd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [0, 3, 6, 9]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 0, "snd": 10, "trd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 0, "snd": 10, "trd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [0, 3, 6, 9]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [0, 3, 6, 9]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_range (recorded 09-02-2023, 10:20:40)
    name: "States.ArrayRange, input #2 [test_array::test_array_range]",
    definition: intrinsic("States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"),
    input: {"FunctionInput": {"fst": 1, "snd": 9, "trd": 9}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [1]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 9}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 9}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [1]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [1]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_range (recorded 09-02-2023, 10:20:40)
    name: "States.ArrayRange, input #3 [test_array::test_array_range]",
    definition: intrinsic("States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"),
    input: {"FunctionInput": {"fst": 1, "snd": 9, "trd": 2}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [1, 3, 5, 7, 9]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 2}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 9, "trd": 2}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [1, 3, 5, 7, 9]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [1, 3, 5, 7, 9]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_get_item (recorded 09-02-2023, 10:20:42)
    name: "States.ArrayGetItem, input #0 [test_array::test_array_get_item]",
    definition: intrinsic("States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 6}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 6}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 6}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_length (recorded 09-02-2023, 10:20:43)
    name: "States.ArrayLength, input #0 [test_array::test_array_length]",
    definition: intrinsic("States.ArrayLength($.FunctionInput)"),
    input: {"FunctionInput": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 9}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 9}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 9}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_array.py::TestArray::test_array_unique (recorded 09-02-2023, 10:20:45)
    name: "States.ArrayLength, input #0 [test_array::test_array_unique]",
    definition: intrinsic("States.ArrayLength($.FunctionInput)"),
    input: {"FunctionInput": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 20}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 20}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 20}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #0 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": " ", "snd": ","}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [" "]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": " ", "snd": ","}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": " ", "snd": ","}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [" "]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [" "]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #1 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": " , ", "snd": ","}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [" ", " "]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": " , ", "snd": ","}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": " , ", "snd": ","}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #2 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": ", , ,", "snd": ","}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [" ", " "]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": ", , ,", "snd": ","}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": ", , ,", "snd": ","}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [" ", " "]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #3 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": ",,,,", "snd": ","}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": []}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": ",,,,", "snd": ","}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": ",,,,", "snd": ","}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": []}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #4 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "1,2,3,4,5", "snd": ","}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["1", "2", "3", "4", "5"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "1,2,3,4,5", "snd": ","}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "1,2,3,4,5", "snd": ","}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["1", "2", "3", "4", "5"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["1", "2", "3", "4", "5"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #5 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "This.is+a,test=string", "snd": ".+,="}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["This", "is", "a", "test", "string"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "This.is+a,test=string", "snd": ".+,="}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "This.is+a,test=string", "snd": ".+,="}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["This", "is", "a", "test", "string"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["This", "is", "a", "test", "string"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split (recorded 05-12-2024, 20:34:43)
    name: "States.StringSplit, input #6 [test_string_operations::test_string_split]",
    definition: intrinsic("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "split on T and \nnew line", "snd": "T\n"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ["split on ", " and ", "new line"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "split on T and \nnew line", "snd": "T\n"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "split on T and \nnew line", "snd": "T\n"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ["split on ", " and ", "new line"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ["split on ", " and ", "new line"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #0 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -9, "snd": 3}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -6}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -9, "snd": 3}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -9, "snd": 3}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -6}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -6}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #1 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.49, "snd": 1.5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 3}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": 1.5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": 1.5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 3}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 3}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #2 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.5, "snd": 1.51}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 4}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 1.51}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 1.51}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 4}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 4}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #3 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.49, "snd": -1.5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.49, "snd": -1.5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.49, "snd": -1.5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #4 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.5, "snd": -1.51}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -3}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": -1.51}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": -1.51}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -3}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -3}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #5 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.49, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #6 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.49, "snd": -1.49}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": -1.49}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.49, "snd": -1.49}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #7 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #8 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.51, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.51, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.51, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #9 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.49, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.49, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.49, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #10 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #11 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.51, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.51, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.51, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #12 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 0.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 0.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 0.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #13 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #14 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 2.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 3}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 2.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 2.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 3}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 3}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #15 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 3.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 4}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 3.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 3.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 4}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 4}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #16 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -0.5, "snd": 0.5}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -0.5, "snd": 0.5}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -0.5, "snd": 0.5}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #17 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -0.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -0.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -0.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #18 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -1.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -1.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #19 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -2.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -2}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -2.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -2.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -2}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add (recorded 13-09-2023, 23:07:34)
    name: "States.MathAdd, input #20 [test_math_operations::test_math_add]",
    definition: intrinsic("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": -3.5, "snd": 0}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": -3}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": -3.5, "snd": 0}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": -3.5, "snd": 0}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": -3}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": -3}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #0 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": ""},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": null}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #1 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": " "},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": null}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": " "}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": " "}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #2 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "null"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": null}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "null"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "null"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": null}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #3 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "-0"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 0}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "-0"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "-0"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 0}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #4 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "1"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "1"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "1"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #5 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "1.1"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": 1.1}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "1.1"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "1.1"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": 1.1}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": 1.1}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #6 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "true"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": true}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "true"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "true"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": true}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #7 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "\"HelloWorld\""},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "HelloWorld"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "\"HelloWorld\""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "\"HelloWorld\""}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "HelloWorld"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "HelloWorld"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #8 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "[1, 2, \"HelloWorld\"]"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": [1, 2, "HelloWorld"]}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "[1, 2, \"HelloWorld\"]"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "[1, 2, \"HelloWorld\"]"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": [1, 2, "HelloWorld"]}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": [1, 2, "HelloWorld"]}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json (recorded 09-02-2023, 10:21:46)
    name: "States.StringToJson, input #9 [test_json_manipulation::test_string_to_json]",
    definition: intrinsic("States.StringToJson($.FunctionInput)"),
    input: {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": {"Arg1": 1, "Arg2": []}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": {"Arg1": 1, "Arg2": []}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": {"Arg1": 1, "Arg2": []}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #0 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": null},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "null"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": null}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "null"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "null"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #1 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": 0},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "0"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": 0}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": 0}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "0"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "0"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #2 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": 1},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "1"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": 1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": 1}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "1"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "1"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #3 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": 1.1},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "1.1"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": 1.1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": 1.1}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "1.1"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "1.1"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #4 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": true},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "true"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": true}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": true}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "true"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "true"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #5 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": "HelloWorld"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "\"HelloWorld\""}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "HelloWorld"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "HelloWorld"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "\"HelloWorld\""}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "\"HelloWorld\""}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #6 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": [1, 2, "HelloWorld"]},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "[1,2,\"HelloWorld\"]"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": [1, 2, "HelloWorld"]}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": [1, 2, "HelloWorld"]}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "[1,2,\"HelloWorld\"]"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "[1,2,\"HelloWorld\"]"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string (recorded 09-02-2023, 10:21:51)
    name: "States.JsonToString, input #7 [test_json_manipulation::test_json_to_string]",
    definition: intrinsic("States.JsonToString($.FunctionInput)"),
    input: {"FunctionInput": {"Arg1": 1, "Arg2": []}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "{\"Arg1\":1,\"Arg2\":[]}"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"Arg1": 1, "Arg2": []}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"Arg1": 1, "Arg2": []}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "{\"Arg1\":1,\"Arg2\":[]}"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "{\"Arg1\":1,\"Arg2\":[]}"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_merge (recorded 13-02-2023, 12:49:30)
    name: "States.JsonMerge, input #0 [test_json_manipulation::test_json_merge]",
    definition: intrinsic("States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)"),
    input: {"FunctionInput": {"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #0 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": ""},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument ."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument ."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument ."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #1 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": " "},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument  ."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": " "}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": " "}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument  ."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument  ."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #2 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": "HelloWorld"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument HelloWorld."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "HelloWorld"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "HelloWorld"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument HelloWorld."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument HelloWorld."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #3 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": null},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument null."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": null}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": null}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument null."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument null."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #4 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": 1},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument 1."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": 1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": 1}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument 1."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument 1."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #5 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": 1.1},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument 1.1."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": 1.1}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": 1.1}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument 1.1."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument 1.1."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_1 (recorded 09-02-2023, 10:21:18)
    name: "States.Format, input #6 [test_generic::test_format_1]",
    definition: intrinsic("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting argument {\"Arg1\": 1, \"Arg2\": []}."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting argument {\"Arg1\": 1, \"Arg2\": []}."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting argument {\"Arg1\": 1, \"Arg2\": []}."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #0 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "", "snd": ""}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst= and snd=."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "", "snd": ""}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "", "snd": ""}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst= and snd=."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst= and snd=."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #1 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": " ", "snd": " "}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst=  and snd= ."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": " ", "snd": " "}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": " ", "snd": " "}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst=  and snd= ."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst=  and snd= ."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #2 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst=HelloWorld and snd=HelloWorld."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "HelloWorld", "snd": "HelloWorld"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst=HelloWorld and snd=HelloWorld."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst=HelloWorld and snd=HelloWorld."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #3 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": null, "snd": null}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst=null and snd=null."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": null, "snd": null}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": null, "snd": null}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst=null and snd=null."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst=null and snd=null."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #4 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1, "snd": 1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst=1 and snd=1."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1, "snd": 1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst=1 and snd=1."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst=1 and snd=1."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #5 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": 1.1, "snd": 1.1}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst=1.1 and snd=1.1."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": 1.1, "snd": 1.1}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": 1.1, "snd": 1.1}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst=1.1 and snd=1.1."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst=1.1 and snd=1.1."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #6 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd={\"Arg1\": 1, \"Arg2\": []}."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "{\"Arg1\": 1, \"Arg2\": []}", "snd": "{\"Arg1\": 1, \"Arg2\": []}"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd={\"Arg1\": 1, \"Arg2\": []}."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd={\"Arg1\": 1, \"Arg2\": []}."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_generic.py::TestGeneric::test_format_2 (recorded 09-02-2023, 10:21:23)
    name: "States.Format, input #7 [test_generic::test_format_2]",
    definition: intrinsic("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_encode (recorded 17-02-2023, 13:07:48)
    name: "States.Base64Encode, input #0 [test_encode_decode::test_base_64_encode]",
    definition: intrinsic("States.Base64Encode($.FunctionInput)"),
    input: {"FunctionInput": ""},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ""}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ""}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ""}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_encode (recorded 17-02-2023, 13:07:48)
    name: "States.Base64Encode, input #1 [test_encode_decode::test_base_64_encode]",
    definition: intrinsic("States.Base64Encode($.FunctionInput)"),
    input: {"FunctionInput": "Data to encode"},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "RGF0YSB0byBlbmNvZGU="}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "Data to encode"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "Data to encode"}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "RGF0YSB0byBlbmNvZGU="}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "RGF0YSB0byBlbmNvZGU="}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_decode (recorded 17-02-2023, 13:42:08)
    name: "States.Base64Decode, input #0 [test_encode_decode::test_base_64_decode]",
    definition: intrinsic("States.Base64Decode($.FunctionInput)"),
    input: {"FunctionInput": ""},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": ""}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": ""}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": ""}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": ""}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_decode (recorded 17-02-2023, 13:42:08)
    name: "States.Base64Decode, input #1 [test_encode_decode::test_base_64_decode]",
    definition: intrinsic("States.Base64Decode($.FunctionInput)"),
    input: {"FunctionInput": "RGF0YSB0byBlbmNvZGU="},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "Data to encode"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": "RGF0YSB0byBlbmNvZGU="}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": "RGF0YSB0byBlbmNvZGU="}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "Data to encode"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "Data to encode"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash (recorded 14-02-2023, 21:48:01)
    name: "States.Hash, input #0 [test_hash_calculations::test_hash]",
    definition: intrinsic("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "input data", "snd": "MD5"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "812f45842bc6d66ee14572ce20db8e86"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "MD5"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "MD5"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "812f45842bc6d66ee14572ce20db8e86"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "812f45842bc6d66ee14572ce20db8e86"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash (recorded 14-02-2023, 21:48:01)
    name: "States.Hash, input #1 [test_hash_calculations::test_hash]",
    definition: intrinsic("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "input data", "snd": "SHA-1"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "aaff4a450a104cd177d28d18d74485e8cae074b7"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-1"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-1"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "aaff4a450a104cd177d28d18d74485e8cae074b7"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "aaff4a450a104cd177d28d18d74485e8cae074b7"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash (recorded 14-02-2023, 21:48:01)
    name: "States.Hash, input #2 [test_hash_calculations::test_hash]",
    definition: intrinsic("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "input data", "snd": "SHA-256"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-256"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-256"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash (recorded 14-02-2023, 21:48:01)
    name: "States.Hash, input #3 [test_hash_calculations::test_hash]",
    definition: intrinsic("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "input data", "snd": "SHA-384"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-384"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-384"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash (recorded 14-02-2023, 21:48:01)
    name: "States.Hash, input #4 [test_hash_calculations::test_hash]",
    definition: intrinsic("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: {"FunctionInput": {"fst": "input data", "snd": "SHA-512"}},
    expect: {"status": "SUCCEEDED", "output": {"FunctionResult": "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-512"}}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"FunctionInput": {"fst": "input data", "snd": "SHA-512"}}, "inputDetails": {"truncated": false}, "name": "State_0"}],
      ['PassStateExited', 3, 2, {"name": "State_0", "output": {"FunctionResult": "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"FunctionResult": "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"}, "outputDetails": {"truncated": false}}],
    ],
  },
];
