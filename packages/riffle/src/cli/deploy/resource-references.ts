import type { HostedResourceType, ResourceRecord } from './hosted-resource.js';
import { NotAvailableError } from './not-available-error.js';
import { TemplateError } from './template-error.js';
import type { ResourceReferences } from './template-evaluator.js';
import type { Position } from './template-node.js';
import type { TemplateValue } from './template-value.js';
import type { Template } from './template.js';

export interface ReferenceScope {
  readonly template: Template;
  readonly hostedTypes: ReadonlyMap<string, HostedResourceType>;
  /** Resources whose Condition holds. */
  readonly active: ReadonlySet<string>;
  /** What the hosted resources are now (or will be, when predicting). */
  readonly records: ReadonlyMap<string, ResourceRecord>;
}

/**
 * Ref and Fn::GetAtt of resources, for one resource's properties (`requester`) or for the Outputs (none):
 * a skipped resource's value is not available, naming both; a resource whose condition is false is unresolved.
 */
export function resourceReferences(scope: ReferenceScope, requester: { logicalId: string; type: string } | undefined): ResourceReferences {
  const target = (logicalId: string, what: string, pos: Position): { hosted: HostedResourceType; record: ResourceRecord } => {
    const declaration = scope.template.resources.get(logicalId)!;
    const hosted = scope.hostedTypes.get(declaration.type);
    if (!hosted) {
      const needer = requester ? `${requester.type} ${requester.logicalId} needs ${what} of ${logicalId}` : `${what} of ${logicalId}`;
      throw new NotAvailableError(`${needer} (${declaration.type}), which Riffle does not host: it is skipped`, pos);
    }
    if (!scope.active.has(logicalId)) {
      throw new TemplateError(`Template format error: Unresolved resource dependencies [${logicalId}] in the ${requester ? 'Resources' : 'Outputs'} block of the template (its Condition ${declaration.condition?.name ?? ''} is false)`, pos);
    }
    const record = scope.records.get(logicalId);
    if (!record) throw new TemplateError(`${logicalId} is not created yet`, pos);
    return { hosted, record };
  };
  return {
    ref(logicalId, pos): TemplateValue {
      const { hosted, record } = target(logicalId, 'Ref', pos);
      return hosted.ref(record);
    },
    getAtt(logicalId, attribute, pos): TemplateValue {
      const { hosted, record } = target(logicalId, `Fn::GetAtt ${attribute}`, pos);
      if (!hosted.attributes.includes(attribute)) {
        throw new TemplateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt (${hosted.type} has ${hosted.attributes.length ? hosted.attributes.join(', ') : 'no attributes'})`, pos);
      }
      return record.attributes[attribute] ?? '';
    },
  };
}
