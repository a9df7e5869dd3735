/** The action runner: runs a composite action.yml like the GitHub Actions runner does. */
export {
  runAction,
  ActionRunnerError,
  type RunActionOptions,
  type RunActionResult,
  type RawRunOutput,
  type RunnerEvent,
  type RunnerSim,
  type StepResult,
} from './run-action.ts';
export type { Annotation } from './commands.ts';
export { ExpressionError, type ExprValue } from './expressions.ts';
