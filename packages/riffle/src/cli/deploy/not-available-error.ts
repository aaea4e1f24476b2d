import { TemplateError } from './template-error.js';

/**
 * A value Riffle cannot give: a skipped resource's Ref or attribute, a function that needs other AWS services
 * (Fn::ImportValue, Fn::Cidr). An Output then prints as not available; a Kinesis property fails with it.
 */
export class NotAvailableError extends TemplateError {
  override readonly name = 'NotAvailableError';
}
