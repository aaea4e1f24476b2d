import { NotAvailableError } from './not-available-error.js';
import { TemplateError } from './template-error.js';
import type { TemplateEvaluator } from './template-evaluator.js';
import type { Template } from './template.js';

/**
 * Checks the Rules section as CloudFormation does before it changes anything: a rule whose RuleCondition holds
 * (or has none) fails with its AssertDescription when an assertion is false. A rule needing what Riffle cannot
 * know (Fn::ValueOf of an EC2 resource) is not checked, and `warn` says so.
 */
export function checkRules(template: Template, evaluator: TemplateEvaluator, warn: (line: string) => void): void {
  for (const rule of template.rules.values()) {
    try {
      if (rule.ruleCondition !== undefined && !evaluator.condition(rule.ruleCondition)) continue;
      for (const assertion of rule.assertions) {
        if (!evaluator.condition(assertion.assert)) throw new TemplateError(assertion.description ?? `Template error: an assertion of rule ${rule.name} failed`, assertion.pos);
      }
    } catch (error) {
      if (!(error instanceof NotAvailableError)) throw error;
      warn(`rule ${rule.name} not checked: ${error.message}`);
    }
  }
}
