/**
 * Types for asl-validator 4 (the package ships none): `aslValidator(definition, options?)`
 * returns `{ isValid, errors, errorsText(separator?) }`. It adds `QueryLanguage` to the states
 * of the object it is given, so pass a copy.
 */
declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: { message?: string; [key: string]: unknown }[];
    errorsText: (separator?: string) => string;
  }
  function aslValidator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidatorResult;
  export default aslValidator;
}
