import { basename } from 'node:path';
import { CliError } from '../cli-error.js';

/** CloudFormation's stack name rule (CreateStack's StackName). */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** The stack a template deploys as by default: its file name without extensions (`lab.yaml` → `lab`, `MyStack.template.json` → `MyStack`). */
export const defaultStackName = (templatePath: string): string => basename(templatePath).replace(/\..*$/, '');

export function checkedStackName(name: string, fromFlag: boolean): string {
  if (name.length > 128 || !STACK_NAME.test(name)) {
    const how = fromFlag ? '' : ' (taken from the template\'s file name: give another with --stack-name)';
    throw new CliError(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*${how}`);
  }
  return name;
}
