/**
 * Variables (Assign, references from JSONPath fields) and JSONata evaluation failures, as
 * recorded on AWS in localstack's tests/aws/services/stepfunctions/v2/assign/*.snapshot.json.
 */
import { ROLE, type ConformanceCase } from '../harness.js';

export const cases: ConformanceCase[] = [
  {
    // assign/test_assign_base.py::TestAssignBase::test_base_cases[BASE_EMPTY] (recorded 04-11-2024, 11:02:29)
    name: "Assign: empty Assign block [test_assign_base::test_base_cases[BASE_EMPTY]]",
    definition: { StartAt: 'State0', States: { State0: { Type: 'Pass', Assign: {}, End: true } } },
    input: {"input_value": "input_value_literal"},
    expect: {"status": "SUCCEEDED", "output": {"input_value": "input_value_literal"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "input_value_literal"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "input_value_literal"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {"input_value": "input_value_literal"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"input_value": "input_value_literal"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_base.py::TestAssignBase::test_base_cases[BASE_SCOPE_MAP] (recorded 04-11-2024, 11:03:38)
    name: "Assign: variables are visible inside an inline Map iteration [test_assign_base::test_base_cases[BASE_SCOPE_MAP]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Assign: { x: 42, items: [1, 2, 3] }, Next: 'State1' },
        State1: {
          Type: 'Map',
          ItemsPath: '$items',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Inner', States: { Inner: { Type: 'Pass', Assign: { 'innerX.$': '$x' }, End: true } } },
          Next: 'State2',
        },
        State2: { Type: 'Pass', Assign: { 'final.$': '$x' }, End: true },
      },
    },
    input: {"input_value": "input_value_literal"},
    expect: {"status": "SUCCEEDED", "output": [1, 2, 3]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "input_value_literal"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {"input_value": "input_value_literal"}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"items": [1, 2, 3], "x": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"input_value": "input_value_literal"}, "outputDetails": {"truncated": false}}],
      ['MapStateEntered', 4, 3, {"input": {"input_value": "input_value_literal"}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['MapStateStarted', 5, 4, {"length": 3}],
      ['MapIterationStarted', 6, 5, {"index": 0, "name": "State1"}],
      ['PassStateEntered', 7, 6, {"input": 1, "inputDetails": {"truncated": false}, "name": "Inner"}],
      ['PassStateExited', 8, 7, {"assignedVariables": {"innerX": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "Inner", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 9, 8, {"index": 0, "name": "State1"}],
      ['MapIterationStarted', 10, 8, {"index": 1, "name": "State1"}],
      ['PassStateEntered', 11, 10, {"input": 2, "inputDetails": {"truncated": false}, "name": "Inner"}],
      ['PassStateExited', 12, 11, {"assignedVariables": {"innerX": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "Inner", "output": 2, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 13, 12, {"index": 1, "name": "State1"}],
      ['MapIterationStarted', 14, 12, {"index": 2, "name": "State1"}],
      ['PassStateEntered', 15, 14, {"input": 3, "inputDetails": {"truncated": false}, "name": "Inner"}],
      ['PassStateExited', 16, 15, {"assignedVariables": {"innerX": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "Inner", "output": 3, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 17, 16, {"index": 2, "name": "State1"}],
      ['MapStateSucceeded', 18, 17],
      ['MapStateExited', 19, 17, {"name": "State1", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 20, 19, {"input": [1, 2, 3], "inputDetails": {"truncated": false}, "name": "State2"}],
      ['PassStateExited', 21, 20, {"assignedVariables": {"final": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "State2", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 22, 21, {"output": [1, 2, 3], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_assign_in_choice_state[CORRECT] (recorded 12-11-2024, 14:40:08)
    name: "Assign in a Choice rule (the matching rule assigns) [test_assign_reference_variables::test_assign_in_choice_state[CORRECT]]",
    definition: {
      StartAt: 'CheckInputState',
      States: {
        CheckInputState: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.input_value', IsPresent: false, Assign: { status: 'UNKNOWN' }, Next: 'FinalState' },
            { Variable: '$.input_value', NumericEquals: 42, Assign: { status: 'CORRECT' }, Next: 'FinalState' },
          ],
          Assign: { status: 'INCORRECT', 'guess.$': '$.input_value' },
          Default: 'FinalState',
        },
        FinalState: { Type: 'Pass', Parameters: { 'result.$': '$status' }, End: true },
      },
    },
    input: {"input_value": "42"},
    expect: {"status": "SUCCEEDED", "output": {"result": "INCORRECT"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "42"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['ChoiceStateEntered', 2, 0, {"input": {"input_value": "42"}, "inputDetails": {"truncated": false}, "name": "CheckInputState"}],
      ['ChoiceStateExited', 3, 2, {"assignedVariables": {"guess": "42", "status": "INCORRECT"}, "assignedVariablesDetails": {"truncated": false}, "name": "CheckInputState", "output": {"input_value": "42"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"input_value": "42"}, "inputDetails": {"truncated": false}, "name": "FinalState"}],
      ['PassStateExited', 5, 4, {"name": "FinalState", "output": {"result": "INCORRECT"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": {"result": "INCORRECT"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_assign_in_choice_state[INCORRECT] (recorded 12-11-2024, 14:40:20)
    name: "Assign in a Choice state (Default assigns) [test_assign_reference_variables::test_assign_in_choice_state[INCORRECT]]",
    definition: {
      StartAt: 'CheckInputState',
      States: {
        CheckInputState: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.input_value', IsPresent: false, Assign: { status: 'UNKNOWN' }, Next: 'FinalState' },
            { Variable: '$.input_value', NumericEquals: 42, Assign: { status: 'CORRECT' }, Next: 'FinalState' },
          ],
          Assign: { status: 'INCORRECT', 'guess.$': '$.input_value' },
          Default: 'FinalState',
        },
        FinalState: { Type: 'Pass', Parameters: { 'result.$': '$status' }, End: true },
      },
    },
    input: {"input_value": "0"},
    expect: {"status": "SUCCEEDED", "output": {"result": "INCORRECT"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {"input_value": "0"}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['ChoiceStateEntered', 2, 0, {"input": {"input_value": "0"}, "inputDetails": {"truncated": false}, "name": "CheckInputState"}],
      ['ChoiceStateExited', 3, 2, {"assignedVariables": {"guess": "0", "status": "INCORRECT"}, "assignedVariablesDetails": {"truncated": false}, "name": "CheckInputState", "output": {"input_value": "0"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"input_value": "0"}, "inputDetails": {"truncated": false}, "name": "FinalState"}],
      ['PassStateExited', 5, 4, {"name": "FinalState", "output": {"result": "INCORRECT"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": {"result": "INCORRECT"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_PARAMETERS] (recorded 06-11-2024, 23:17:18)
    name: "Variables: a string \"$result\" in Parameters is a literal; \"result.$\" reads the variable [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_PARAMETERS]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { result: '$result' }, Assign: { result: 'foobar' }, Next: 'State1' },
        State1: { Type: 'Pass', ResultPath: '$.result', Parameters: { 'result.$': '$result' }, End: true },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"result": {"result": "foobar"}}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"result": "foobar"}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"result": "$result"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"result": "$result"}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"name": "State1", "output": {"result": {"result": "foobar"}}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": {"result": {"result": "foobar"}}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_CHOICE] (recorded 12-11-2024, 14:43:37)
    name: "Variables in a Choice comparison loop [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_CHOICE]]",
    definition: {
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { guess: 'the_guess', answer: 'the_answer' }, Next: 'CheckAnswer' },
        CheckAnswer: { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'CorrectAnswer' }], Default: 'WrongAnswer' },
        CorrectAnswer: { Type: 'Pass', Result: { state: 'CORRECT' }, End: true },
        WrongAnswer: { Type: 'Pass', Assign: { 'guess.$': '$answer' }, Result: { state: 'WRONG' }, Next: 'CheckAnswer' },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"state": "CORRECT"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Setup"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"answer": "the_answer", "guess": "the_guess"}, "assignedVariablesDetails": {"truncated": false}, "name": "Setup", "output": {}, "outputDetails": {"truncated": false}}],
      ['ChoiceStateEntered', 4, 3, {"input": {}, "inputDetails": {"truncated": false}, "name": "CheckAnswer"}],
      ['ChoiceStateExited', 5, 4, {"name": "CheckAnswer", "output": {}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 6, 5, {"input": {}, "inputDetails": {"truncated": false}, "name": "WrongAnswer"}],
      ['PassStateExited', 7, 6, {"assignedVariables": {"guess": "the_answer"}, "assignedVariablesDetails": {"truncated": false}, "name": "WrongAnswer", "output": {"state": "WRONG"}, "outputDetails": {"truncated": false}}],
      ['ChoiceStateEntered', 8, 7, {"input": {"state": "WRONG"}, "inputDetails": {"truncated": false}, "name": "CheckAnswer"}],
      ['ChoiceStateExited', 9, 8, {"name": "CheckAnswer", "output": {"state": "WRONG"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 10, 9, {"input": {"state": "WRONG"}, "inputDetails": {"truncated": false}, "name": "CorrectAnswer"}],
      ['PassStateExited', 11, 10, {"name": "CorrectAnswer", "output": {"state": "CORRECT"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 12, 11, {"output": {"state": "CORRECT"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_INPUTPATH] (recorded 06-11-2024, 23:18:25)
    name: "Variables: InputPath reads a variable [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_INPUTPATH]]",
    definition: {
      StartAt: 'State0',
      States: { State0: { Type: 'Pass', Assign: { theAnswer: 42 }, Next: 'State1' }, State1: { Type: 'Pass', InputPath: '$theAnswer', End: true } },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": 42},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"theAnswer": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"name": "State1", "output": 42, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": 42, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_OUTPUTPATH] (recorded 06-11-2024, 23:18:41)
    name: "Variables: OutputPath reads a variable assigned from the result [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_OUTPUTPATH]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'theAnswer.$': '$.answer' }, Next: 'State1' },
        State1: { Type: 'Pass', OutputPath: '$theAnswer', End: true },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": 42},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"theAnswer": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"answer": 42}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"answer": 42}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"name": "State1", "output": 42, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": 42, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_assign_from_value[BASE_ASSIGN_FROM_PARAMETERS] (recorded 06-11-2024, 22:54:11)
    name: "Assign reads the Parameters output [test_assign_reference_variables::test_assign_from_value[BASE_ASSIGN_FROM_PARAMETERS]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { input: 'PENDING' }, Assign: { 'result.$': '$.input' }, Next: 'State1' },
        State1: { Type: 'Pass', Assign: { result: 'SUCCESS', 'originalResult.$': '$.input' }, End: true },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"input": "PENDING"}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"result": "PENDING"}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"input": "PENDING"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"input": "PENDING"}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"assignedVariables": {"originalResult": "PENDING", "result": "SUCCESS"}, "assignedVariablesDetails": {"truncated": false}, "name": "State1", "output": {"input": "PENDING"}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": {"input": "PENDING"}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_assign_from_value[BASE_ASSIGN_FROM_RESULT] (recorded 06-11-2024, 22:54:27)
    name: "Assign reads the Pass Result [test_assign_reference_variables::test_assign_from_value[BASE_ASSIGN_FROM_RESULT]]",
    definition: {
      StartAt: 'State0',
      States: { State0: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'theAnswer.$': '$.answer' }, End: true } },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {"answer": 42}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"theAnswer": 42}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"answer": 42}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {"answer": 42}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE] (recorded 06-11-2024, 23:28:59)
    name: "Assign and OutputPath see the variables from before the state [test_assign_reference_variables::test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE]]",
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Result: { theQuestion: 'What is the answer to life the universe and everything?' },
          Assign: { 'question.$': '$.theQuestion', answer: 42 },
          Next: 'State1',
        },
        State1: { Type: 'Pass', InputPath: '$answer', ResultPath: '$.theAnswer', OutputPath: '$answer', Assign: { answer: '<omitted>' }, End: true },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": 42},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"answer": 42, "question": "What is the answer to life the universe and everything?"}, "assignedVariablesDetails": {"truncated": false}, "name": "State0", "output": {"theQuestion": "What is the answer to life the universe and everything?"}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {"theQuestion": "What is the answer to life the universe and everything?"}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"assignedVariables": {"answer": "<omitted>"}, "assignedVariablesDetails": {"truncated": false}, "name": "State1", "output": 42, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 6, 5, {"output": 42, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_WAIT] (recorded 06-11-2024, 23:17:58)
    name: "Variables in Wait SecondsPath and TimestampPath [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_WAIT]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { waitTime: 0, startAt: '2024-11-06T09:42:03Z' }, Next: 'WaitSecondsState' },
        WaitSecondsState: { Type: 'Wait', SecondsPath: '$waitTime', Next: 'WaitUntilState' },
        WaitUntilState: { Type: 'Wait', TimestampPath: '$startAt', End: true },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"startAt": "2024-11-06T09:42:03Z", "waitTime": 0}, "assignedVariablesDetails": {"truncated": false}, "name": "Start", "output": {}, "outputDetails": {"truncated": false}}],
      ['WaitStateEntered', 4, 3, {"input": {}, "inputDetails": {"truncated": false}, "name": "WaitSecondsState"}],
      ['WaitStateExited', 5, 4, {"name": "WaitSecondsState", "output": {}, "outputDetails": {"truncated": false}}],
      ['WaitStateEntered', 6, 5, {"input": {}, "inputDetails": {"truncated": false}, "name": "WaitUntilState"}],
      ['WaitStateExited', 7, 6, {"name": "WaitUntilState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 8, 7, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_FAIL] (recorded 14-11-2024, 13:15:13)
    name: "Variables in Fail ErrorPath and CausePath [test_assign_reference_variables::test_reference_assign[BASE_REFERENCE_IN_FAIL]]",
    definition: {
      StartAt: 'Pass',
      States: {
        Pass: { Type: 'Pass', Assign: { errorVar: 'Exception', causeVar: 'An Exception was encountered' }, Next: 'Fail' },
        Fail: { Type: 'Fail', CausePath: '$causeVar', ErrorPath: '$errorVar' },
      },
    },
    input: {},
    expect: {"status": "FAILED", "error": "Exception", "cause": "An Exception was encountered"},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"causeVar": "An Exception was encountered", "errorVar": "Exception"}, "assignedVariablesDetails": {"truncated": false}, "name": "Pass", "output": {}, "outputDetails": {"truncated": false}}],
      ['FailStateEntered', 4, 3, {"input": {}, "inputDetails": {"truncated": false}, "name": "Fail"}],
      ['ExecutionFailed', 5, 4, {"cause": "An Exception was encountered", "error": "Exception"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_assign_in_wait_state (recorded 06-11-2024, 11:01:35)
    name: "Assign in a Wait state [test_assign_reference_variables::test_assign_in_wait_state]",
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', Seconds: 0, Assign: { foo: 'oof' }, End: true } } },
    input: {},
    expect: {"status": "SUCCEEDED", "output": {}},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['WaitStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "WaitState"}],
      ['WaitStateExited', 3, 2, {"assignedVariables": {"foo": "oof"}, "assignedVariablesDetails": {"truncated": false}, "name": "WaitState", "output": {}, "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 4, 3, {"output": {}, "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION] (recorded 18-11-2024, 14:52:40)
    name: "Variables in a Map ItemSelector intrinsic [test_assign_reference_variables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { AnswerTemplate: "It's {}!", Question: "Who's that Pokemon?" }, Result: ['Charizard', 'Pikachu', 'Squirtle'], Next: 'MapIterateState' },
        MapIterateState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemSelector: { 'AnnouncePokemon.$': 'States.Format($AnswerTemplate, $$.Map.Item.Value)' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pass',
            States: { Pass: { Type: 'Pass', Parameters: { 'Question.$': '$Question', 'Answer.$': '$.AnnouncePokemon' }, End: true } },
          },
          End: true,
        },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"AnswerTemplate": "It's {}!", "Question": "Who's that Pokemon?"}, "assignedVariablesDetails": {"truncated": false}, "name": "Start", "output": ["Charizard", "Pikachu", "Squirtle"], "outputDetails": {"truncated": false}}],
      ['MapStateEntered', 4, 3, {"input": ["Charizard", "Pikachu", "Squirtle"], "inputDetails": {"truncated": false}, "name": "MapIterateState"}],
      ['MapStateStarted', 5, 4, {"length": 3}],
      ['MapIterationStarted', 6, 5, {"index": 0, "name": "MapIterateState"}],
      ['PassStateEntered', 7, 6, {"input": {"AnnouncePokemon": "It's Charizard!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 8, 7, {"name": "Pass", "output": {"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 9, 8, {"index": 0, "name": "MapIterateState"}],
      ['MapIterationStarted', 10, 8, {"index": 1, "name": "MapIterateState"}],
      ['PassStateEntered', 11, 10, {"input": {"AnnouncePokemon": "It's Pikachu!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 12, 11, {"name": "Pass", "output": {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 13, 12, {"index": 1, "name": "MapIterateState"}],
      ['MapIterationStarted', 14, 12, {"index": 2, "name": "MapIterateState"}],
      ['PassStateEntered', 15, 14, {"input": {"AnnouncePokemon": "It's Squirtle!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 16, 15, {"name": "Pass", "output": {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 17, 16, {"index": 2, "name": "MapIterateState"}],
      ['MapStateSucceeded', 18, 17],
      ['MapStateExited', 19, 17, {"name": "MapIterateState", "output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 20, 19, {"output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEMS_PATH] (recorded 18-11-2024, 14:52:57)
    name: "Variables in a Map ItemsPath [test_assign_reference_variables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEMS_PATH]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Pass',
          Assign: { Question: "Who's that Pokemon?", PokemonList: ['Charizard', 'Pikachu', 'Squirtle'] },
          Result: { AnswerTemplate: "It's {}!" },
          Next: 'MapIterateState',
        },
        MapIterateState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemsPath: '$PokemonList',
          ItemSelector: { 'AnnouncePokemon.$': 'States.Format($.AnswerTemplate, $$.Map.Item.Value)' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pass',
            States: { Pass: { Type: 'Pass', Parameters: { 'Question.$': '$Question', 'Answer.$': '$.AnnouncePokemon' }, End: true } },
          },
          End: true,
        },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"PokemonList": ["Charizard", "Pikachu", "Squirtle"], "Question": "Who's that Pokemon?"}, "assignedVariablesDetails": {"truncated": false}, "name": "Start", "output": {"AnswerTemplate": "It's {}!"}, "outputDetails": {"truncated": false}}],
      ['MapStateEntered', 4, 3, {"input": {"AnswerTemplate": "It's {}!"}, "inputDetails": {"truncated": false}, "name": "MapIterateState"}],
      ['MapStateStarted', 5, 4, {"length": 3}],
      ['MapIterationStarted', 6, 5, {"index": 0, "name": "MapIterateState"}],
      ['PassStateEntered', 7, 6, {"input": {"AnnouncePokemon": "It's Charizard!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 8, 7, {"name": "Pass", "output": {"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 9, 8, {"index": 0, "name": "MapIterateState"}],
      ['MapIterationStarted', 10, 8, {"index": 1, "name": "MapIterateState"}],
      ['PassStateEntered', 11, 10, {"input": {"AnnouncePokemon": "It's Pikachu!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 12, 11, {"name": "Pass", "output": {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 13, 12, {"index": 1, "name": "MapIterateState"}],
      ['MapIterationStarted', 14, 12, {"index": 2, "name": "MapIterateState"}],
      ['PassStateEntered', 15, 14, {"input": {"AnnouncePokemon": "It's Squirtle!"}, "inputDetails": {"truncated": false}, "name": "Pass"}],
      ['PassStateExited', 16, 15, {"name": "Pass", "output": {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 17, 16, {"index": 2, "name": "MapIterateState"}],
      ['MapStateSucceeded', 18, 17],
      ['MapStateExited', 19, 17, {"name": "MapIterateState", "output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 20, 19, {"output": [{"Answer": "It's Charizard!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Pikachu!", "Question": "Who's that Pokemon?"}, {"Answer": "It's Squirtle!", "Question": "Who's that Pokemon?"}], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH] (recorded 18-11-2024, 14:53:25)
    name: "Variables in a Map MaxConcurrencyPath (a numeric string) [test_assign_reference_variables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH]]",
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { maxConcurrency: '1' }, Result: { Values: [1, 2, 3] }, Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ItemsPath: '$.Values',
          MaxConcurrencyPath: '$maxConcurrency',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    input: {},
    expect: {"status": "SUCCEEDED", "output": [1, 2, 3]},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "Start"}],
      ['PassStateExited', 3, 2, {"assignedVariables": {"maxConcurrency": "1"}, "assignedVariablesDetails": {"truncated": false}, "name": "Start", "output": {"Values": [1, 2, 3]}, "outputDetails": {"truncated": false}}],
      ['MapStateEntered', 4, 3, {"input": {"Values": [1, 2, 3]}, "inputDetails": {"truncated": false}, "name": "MapState"}],
      ['MapStateStarted', 5, 4, {"length": 3}],
      ['MapIterationStarted', 6, 5, {"index": 0, "name": "MapState"}],
      ['PassStateEntered', 7, 6, {"input": 1, "inputDetails": {"truncated": false}, "name": "HandleItem"}],
      ['PassStateExited', 8, 7, {"name": "HandleItem", "output": 1, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 9, 8, {"index": 0, "name": "MapState"}],
      ['MapIterationStarted', 10, 8, {"index": 1, "name": "MapState"}],
      ['PassStateEntered', 11, 10, {"input": 2, "inputDetails": {"truncated": false}, "name": "HandleItem"}],
      ['PassStateExited', 12, 11, {"name": "HandleItem", "output": 2, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 13, 12, {"index": 1, "name": "MapState"}],
      ['MapIterationStarted', 14, 12, {"index": 2, "name": "MapState"}],
      ['PassStateEntered', 15, 14, {"input": 3, "inputDetails": {"truncated": false}, "name": "HandleItem"}],
      ['PassStateExited', 16, 15, {"name": "HandleItem", "output": 3, "outputDetails": {"truncated": false}}],
      ['MapIterationSucceeded', 17, 16, {"index": 2, "name": "MapState"}],
      ['MapStateSucceeded', 18, 17],
      ['MapStateExited', 19, 17, {"name": "MapState", "output": [1, 2, 3], "outputDetails": {"truncated": false}}],
      ['ExecutionSucceeded', 20, 19, {"output": [1, 2, 3], "outputDetails": {"truncated": false}}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_OUTPUT] (recorded 21-11-2024, 11:07:38)
    name: "JSONata: Output that evaluates to nothing is States.QueryEvaluationError [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_OUTPUT]]",
    definition: { StartAt: 'State0', QueryLanguage: 'JSONata', States: { State0: { Type: 'Pass', Output: '{% $doesNotExist %}', End: true } } },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['EvaluationFailed', 3, 0, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Output", "state": "State0"}],
      ['ExecutionFailed', 4, 3, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD] (recorded 21-11-2024, 11:07:56)
    name: "JSONata: an Output field that evaluates to nothing names the field [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD]]",
    definition: { StartAt: 'State0', QueryLanguage: 'JSONata', States: { State0: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true } } },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['EvaluationFailed', 3, 0, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Output/result", "state": "State0"}],
      ['ExecutionFailed', 4, 3, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES] (recorded 21-11-2024, 11:08:12)
    name: "JSONata: the EvaluationFailed of a third state [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES]]",
    definition: {
      StartAt: 'State0',
      QueryLanguage: 'JSONata',
      States: {
        State0: { Type: 'Pass', Next: 'State1' },
        State1: { Type: 'Pass', Next: 'State2' },
        State2: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true },
      },
    },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State2' (entered at the event id #6). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['PassStateExited', 3, 2, {"name": "State0", "output": {}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 4, 3, {"input": {}, "inputDetails": {"truncated": false}, "name": "State1"}],
      ['PassStateExited', 5, 4, {"name": "State1", "output": {}, "outputDetails": {"truncated": false}}],
      ['PassStateEntered', 6, 5, {"input": {}, "inputDetails": {"truncated": false}, "name": "State2"}],
      ['EvaluationFailed', 7, 5, {"cause": "An error occurred while executing the state 'State2' (entered at the event id #6). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Output/result", "state": "State2"}],
      ['ExecutionFailed', 8, 7, {"cause": "An error occurred while executing the state 'State2' (entered at the event id #6). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_ASSIGN] (recorded 21-11-2024, 11:08:30)
    name: "JSONata: an Assign that evaluates to nothing [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_ASSIGN]]",
    definition: { StartAt: 'State0', QueryLanguage: 'JSONata', States: { State0: { Type: 'Pass', Assign: { result: '{% $doesNotExist %}' }, End: true } } },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['PassStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['EvaluationFailed', 3, 0, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Assign/result", "state": "State0"}],
      ['ExecutionFailed', 4, 3, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_ARGUMENTS] (recorded 21-11-2024, 11:19:43)
    name: "JSONata: Task Arguments that evaluate to nothing [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_ARGUMENTS]]",
    definition: {
      StartAt: 'State0',
      QueryLanguage: 'JSONata',
      States: { State0: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: '{% $doesNotExist %}', End: true } },
    },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['EvaluationFailed', 3, 0, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Arguments", "state": "State0"}],
      ['ExecutionFailed', 4, 3, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
  {
    // assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_undefined_reference[BASE_UNDEFINED_ARGUMENTS_FIELD] (recorded 21-11-2024, 11:20:19)
    name: "JSONata: a Task Arguments field that evaluates to nothing [test_assign_reference_variables::test_undefined_reference[BASE_UNDEFINED_ARGUMENTS_FIELD]]",
    definition: {
      StartAt: 'State0',
      QueryLanguage: 'JSONata',
      States: { State0: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: '{% $doesNotExist %}' }, End: true } },
    },
    input: {},
    expect: {"status": "FAILED", "error": "States.QueryEvaluationError", "cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined)."},
    history: [
      ['ExecutionStarted', 1, 0, {"input": {}, "inputDetails": {"truncated": false}, "roleArn": ROLE}],
      ['TaskStateEntered', 2, 0, {"input": {}, "inputDetails": {"truncated": false}, "name": "State0"}],
      ['EvaluationFailed', 3, 0, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined).", "error": "States.QueryEvaluationError", "location": "Arguments/FunctionName", "state": "State0"}],
      ['ExecutionFailed', 4, 3, {"cause": "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined).", "error": "States.QueryEvaluationError"}],
    ],
  },
];
