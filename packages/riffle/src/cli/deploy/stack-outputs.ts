import { NotAvailableError } from './not-available-error.js';
import { TemplateError } from './template-error.js';
import type { TemplateEvaluator } from './template-evaluator.js';
import { NO_VALUE, scalarText, type Evaluated } from './template-value.js';
import type { Template } from './template.js';

export interface StackOutput {
  readonly key: string;
  /** null when not available (it needs a skipped resource, or a function Riffle does not have). */
  readonly value: string | null;
  readonly description?: string;
  readonly exportName?: string;
  readonly unavailable?: string;
}

/**
 * The Outputs whose Condition holds, resolved. NoEcho parameters are not masked in them: CloudFormation does not mask
 * Outputs either ("NoEcho does not mask any information stored in ... Outputs", its parameters documentation), and
 * replacing a secret's text wherever it appears would garble other values that happen to contain it.
 */
export function evaluateOutputs(template: Template, evaluator: TemplateEvaluator): StackOutput[] {
  const text = (value: Evaluated, pos: TemplateError['pos'], what: string): string => {
    if (value === NO_VALUE) throw new TemplateError(`Template format error: the ${what} of an output cannot be AWS::NoValue`, pos);
    if (Array.isArray(value)) return value.map((item) => scalarText(item) ?? JSON.stringify(item)).join(',');
    const scalar = scalarText(value);
    if (scalar === undefined) throw new TemplateError(`Template format error: the ${what} of an output must be a string`, pos);
    return scalar;
  };
  const outputs: StackOutput[] = [];
  for (const output of template.outputs.values()) {
    if (output.condition && !evaluator.namedCondition(output.condition.name, output.condition.pos)) continue;
    const description = output.description ? text(evaluator.value(output.description), output.description.pos, 'Description') : undefined;
    const extra = { ...(description !== undefined ? { description } : {}) };
    try {
      const value = text(evaluator.value(output.value), output.value.pos, 'Value');
      const exportName = output.exportName ? text(evaluator.value(output.exportName), output.exportName.pos, 'Export Name') : undefined;
      outputs.push({ key: output.name, value, ...extra, ...(exportName !== undefined ? { exportName } : {}) });
    } catch (error) {
      if (!(error instanceof NotAvailableError)) throw error;
      outputs.push({ key: output.name, value: null, ...extra, unavailable: error.message });
    }
  }
  return outputs;
}
