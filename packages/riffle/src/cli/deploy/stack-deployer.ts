import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { awsErrorLine } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import type { DeployEvents } from './deploy-events.js';
import { AlreadyExistsError, type HostedResourceType, type ResourceContext, type ResourceRecord } from './hosted-resource.js';
import { positionAt } from './node-position.js';
import { checkProperties } from './property-schema.js';
import type { DependencyGraph } from './resource-dependencies.js';
import { resourceReferences } from './resource-references.js';
import { evaluateOutputs, type StackOutput } from './stack-outputs.js';
import { checkRules } from './stack-rules.js';
import type { RetiredResource, StackResourceState, StackState, StackStateFile } from './stack-state.js';
import { TemplateError } from './template-error.js';
import type { EvaluationContext, TemplateEvaluator } from './template-evaluator.js';
import { TemplateEvaluator as Evaluator } from './template-evaluator.js';
import { NO_VALUE, type TemplateValue } from './template-value.js';
import type { ResourceDeclaration, Template } from './template.js';
import type { Waiter } from './waiter.js';

export interface StackIdentityInfo {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly target: string;
  readonly templateFile: string;
}

export interface DeployInput {
  readonly template: Template;
  readonly graph: DependencyGraph;
  readonly context: EvaluationContext;
  readonly identity: StackIdentityInfo;
  readonly hostedTypes: ReadonlyMap<string, HostedResourceType>;
  readonly client: KinesisClient;
  readonly waiter: Waiter;
  readonly stateFile: StackStateFile;
  readonly previous: StackState | undefined;
  readonly events: DeployEvents;
  readonly warn: (line: string) => void;
  readonly dryRun: boolean;
}

export interface ResourceResult {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** CREATED, UPDATED, REPLACED, RECREATED, UNCHANGED, DELETED, or WOULD_… with --dry-run */
  readonly action: string;
}

export interface SkippedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

export interface DeployResult {
  readonly status: string;
  readonly resources: ResourceResult[];
  readonly skipped: SkippedResource[];
  readonly outputs: StackOutput[];
}

type Step =
  | { readonly kind: 'created'; readonly logicalId: string }
  | { readonly kind: 'updated'; readonly logicalId: string; readonly before: StackResourceState }
  | { readonly kind: 'replaced'; readonly logicalId: string; readonly before: StackResourceState };

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : item);

/**
 * Creates, updates and deletes a template's hosted resources as a CloudFormation stack would: rules first, every
 * property checked before the first change, then creates and updates in dependency order, deletes last (removed
 * resources, those whose condition turned false, replaced ones), the state saved after each change, and on a
 * failure everything this run did rolled back.
 */
export class StackDeployer {
  readonly #input: DeployInput;
  readonly #evaluator: TemplateEvaluator;
  readonly #current = new Map<string, StackResourceState>();
  #retired: RetiredResource[];
  readonly #results: ResourceResult[] = [];
  readonly #skipped: SkippedResource[] = [];
  #active = new Set<string>();

  constructor(input: DeployInput) {
    this.#input = input;
    this.#evaluator = new Evaluator(input.context, 'Resources', undefined);
    for (const [id, record] of Object.entries(input.previous?.resources ?? {})) this.#current.set(id, record);
    this.#retired = [...(input.previous?.retired ?? [])];
  }

  async deploy(): Promise<DeployResult> {
    const { template, graph, previous } = this.#input;
    checkRules(template, this.#evaluator.forBlock('Rules', undefined), this.#input.warn);
    this.#active = new Set(graph.order.filter((id) => {
      const condition = template.resources.get(id)!.condition;
      return condition === undefined || this.#evaluator.namedCondition(condition.name, condition.pos);
    }));
    for (const id of graph.order) {
      const declaration = template.resources.get(id)!;
      const prior = this.#current.get(id);
      if (prior && prior.type !== declaration.type && this.#active.has(id)) {
        throw new TemplateError(`Update of resource type is not permitted. The new template modifies resource type of the following resources: [${id}]`, declaration.pos);
      }
    }
    const predicted = this.#predict();
    if (this.#input.dryRun) return this.#dryRun(predicted);

    const stackType = 'AWS::CloudFormation::Stack';
    const stackName = this.#input.identity.stackName;
    const updating = previous !== undefined;
    this.#input.events.emit({ status: updating ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS', type: stackType, logicalId: stackName });
    const steps: Step[] = [];
    try {
      for (const id of graph.order) await this.#apply(template.resources.get(id)!, steps);
    } catch (error) {
      await this.#rollBack(steps, updating);
      throw this.#failure(error);
    }
    if (updating || this.#retired.length > 0 || [...this.#current.keys()].some((id) => !this.#active.has(id))) {
      if (updating) this.#input.events.emit({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', type: stackType, logicalId: stackName });
      try {
        await this.#cleanUp();
      } catch (error) {
        throw this.#failure(error);
      }
    }
    const outputs = evaluateOutputs(template, this.#evaluator.forBlock('Outputs', this.#references(this.#current, undefined)));
    await this.#save(outputs);
    const status = updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
    this.#input.events.emit({ status, type: stackType, logicalId: stackName });
    return { status, resources: this.#results, skipped: this.#skipped, outputs };
  }

  /** `--delete` with a state: every resource it owns, dependents first, the state file removed at the end. */
  async deleteStack(): Promise<DeployResult> {
    const gone: RetiredResource[] = [...[...this.#current].map(([logicalId, record]) => ({ ...record, logicalId })), ...this.#retired];
    return this.#deleteAll(gone, async (resource) => {
      if (this.#retired.includes(resource)) this.#retired = this.#retired.filter((r) => r !== resource);
      else this.#current.delete(resource.logicalId);
      await this.#save();
    });
  }

  /**
   * `--delete` with no state (lost, or never on this machine): the resources the template names, found by name;
   * a stream whose name CloudFormation generated cannot be found, and `warn` says so.
   */
  async deleteByTemplate(): Promise<DeployResult> {
    const { template, graph } = this.#input;
    this.#active = new Set(graph.order.filter((id) => {
      const condition = template.resources.get(id)!.condition;
      return condition === undefined || this.#evaluator.namedCondition(condition.name, condition.pos);
    }));
    const plan = this.#predict();
    const found: RetiredResource[] = [];
    for (const id of graph.order) {
      const declaration = template.resources.get(id)!;
      const planned = plan.get(id);
      if (!this.#input.hostedTypes.has(declaration.type)) this.#skip(declaration);
      if (!planned) continue;
      if (declaration.type === 'AWS::Kinesis::Stream' && planned.record.properties.Name === undefined) {
        this.#input.warn(`${id}: its name was generated (the template gives no Name) and only the lost state knew it: not deleted`);
        continue;
      }
      const resource = { ...planned.record, logicalId: id, dependsOn: [...(graph.dependsOn.get(id) ?? [])], ...(declaration.deletionPolicy !== undefined ? { deletionPolicy: declaration.deletionPolicy } : {}) };
      const hosted = this.#input.hostedTypes.get(declaration.type)!;
      try {
        if (await hosted.exists(this.#resourceContext(id), resource)) found.push(resource);
      } catch (error) {
        // A policy or consumer of a stream that is gone: nothing to delete.
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw this.#failure(error);
      }
    }
    return this.#deleteAll(found, async () => {});
  }

  async #deleteAll(resources: readonly RetiredResource[], afterEach: (resource: RetiredResource) => Promise<void>): Promise<DeployResult> {
    const { events, identity, stateFile } = this.#input;
    const stackType = 'AWS::CloudFormation::Stack';
    events.emit({ status: 'DELETE_IN_PROGRESS', type: stackType, logicalId: identity.stackName });
    try {
      for (const resource of deletionOrder(resources)) {
        await this.#delete(resource, this.#retired.includes(resource) ? resource.updateReplacePolicy : resource.deletionPolicy);
        await afterEach(resource);
      }
    } catch (error) {
      events.emit({ status: 'DELETE_FAILED', type: stackType, logicalId: identity.stackName });
      throw this.#failure(error);
    }
    await stateFile.remove();
    events.emit({ status: 'DELETE_COMPLETE', type: stackType, logicalId: identity.stackName });
    return { status: 'DELETE_COMPLETE', resources: this.#results, skipped: this.#skipped, outputs: [] };
  }

  #failure(error: unknown): Error {
    if (error instanceof TemplateError || error instanceof CliError) return error;
    if (error instanceof AlreadyExistsError) return new CliError(error.message, 1);
    return new CliError(awsErrorLine(error), 1);
  }

  #references(records: ReadonlyMap<string, ResourceRecord>, requester: ResourceDeclaration | undefined) {
    return resourceReferences({ template: this.#input.template, hostedTypes: this.#input.hostedTypes, active: this.#active, records }, requester ? { logicalId: requester.logicalId, type: requester.type } : undefined);
  }

  /** The properties of a hosted resource, evaluated against `records` and checked against its type's schema. */
  #properties(declaration: ResourceDeclaration, hosted: HostedResourceType, records: ReadonlyMap<string, ResourceRecord>): Record<string, TemplateValue> {
    const evaluator = this.#evaluator.forBlock('Resources', this.#references(records, declaration));
    const value = declaration.properties ? evaluator.value(declaration.properties) : {};
    if (value === NO_VALUE) return {};
    return checkProperties(declaration.logicalId, hosted.schema, value, (pointer) => positionAt(declaration.properties, pointer, declaration.pos));
  }

  /** Every hosted resource's properties evaluated with what each will be: the template's errors before any change. */
  #predict(): Map<string, { record: ResourceRecord; action: string }> {
    const { template, graph, identity, hostedTypes } = this.#input;
    const records = new Map<string, ResourceRecord>();
    const plan = new Map<string, { record: ResourceRecord; action: string }>();
    for (const id of graph.order) {
      const declaration = template.resources.get(id)!;
      const hosted = hostedTypes.get(declaration.type);
      if (!hosted || !this.#active.has(id)) continue;
      const properties = this.#properties(declaration, hosted, records);
      const prior = this.#current.get(id);
      const where = { stackName: identity.stackName, logicalId: id, region: identity.region, accountId: identity.accountId, partition: identity.partition };
      const replace = prior !== undefined && hosted.createOnly.some((key) => canonical(prior.properties[key]) !== canonical(properties[key]));
      const guess = hosted.predict(properties, where, replace ? undefined : prior);
      const record: ResourceRecord = { type: hosted.type, physicalId: guess.physicalId, properties, attributes: guess.attributes };
      records.set(id, record);
      const action = prior === undefined ? 'CREATE' : replace ? 'REPLACE' : canonical(prior.properties) !== canonical(properties) ? 'UPDATE' : 'NO_CHANGE';
      plan.set(id, { record, action });
    }
    return plan;
  }

  #dryRun(plan: Map<string, { record: ResourceRecord; action: string }>): DeployResult {
    const { template, graph, events } = this.#input;
    for (const id of graph.order) {
      const declaration = template.resources.get(id)!;
      const planned = plan.get(id);
      if (!this.#input.hostedTypes.has(declaration.type)) this.#skip(declaration);
      else if (planned) {
        events.emit({ status: `WOULD_${planned.action}`, type: declaration.type, logicalId: id, detail: planned.record.physicalId });
        this.#results.push({ logicalId: id, type: declaration.type, physicalId: planned.record.physicalId, action: `WOULD_${planned.action}` });
      }
    }
    for (const [id, record] of this.#current) {
      if (plan.has(id)) continue;
      events.emit({ status: 'WOULD_DELETE', type: record.type, logicalId: id, detail: record.physicalId });
      this.#results.push({ logicalId: id, type: record.type, physicalId: record.physicalId, action: 'WOULD_DELETE' });
    }
    const records = new Map([...plan].map(([id, { record }]) => [id, record]));
    const outputs = evaluateOutputs(template, this.#evaluator.forBlock('Outputs', this.#references(records, undefined)));
    return { status: 'DRY_RUN', resources: this.#results, skipped: this.#skipped, outputs };
  }

  #skip(declaration: ResourceDeclaration): void {
    const condition = declaration.condition;
    const reason = this.#active.has(declaration.logicalId) || condition === undefined ? `Riffle does not host ${declaration.type}` : `Riffle does not host ${declaration.type}; its Condition ${condition.name} is false too`;
    this.#skipped.push({ logicalId: declaration.logicalId, type: declaration.type, reason });
    this.#input.events.emit({ status: 'SKIPPED', type: declaration.type, logicalId: declaration.logicalId, detail: reason });
  }

  #resourceContext(logicalId: string): ResourceContext {
    return { client: this.#input.client, stackName: this.#input.identity.stackName, logicalId, waiter: this.#input.waiter };
  }

  async #apply(declaration: ResourceDeclaration, steps: Step[]): Promise<void> {
    const { events, hostedTypes, graph } = this.#input;
    const id = declaration.logicalId;
    const hosted = hostedTypes.get(declaration.type);
    if (!hosted) return this.#skip(declaration);
    if (!this.#active.has(id)) return;
    const properties = this.#properties(declaration, hosted, this.#current);
    const context = this.#resourceContext(id);
    const dependsOn = [...(graph.dependsOn.get(id) ?? [])].filter((need) => hostedTypes.has(this.#input.template.resources.get(need)!.type));
    const prior = this.#current.get(id);
    const policies = {
      ...(declaration.deletionPolicy !== undefined ? { deletionPolicy: declaration.deletionPolicy } : {}),
      ...(declaration.updateReplacePolicy !== undefined ? { updateReplacePolicy: declaration.updateReplacePolicy } : {}),
    };
    const failed = (status: string) => (error: unknown): never => {
      events.emit({ status, type: hosted.type, logicalId: id, detail: error instanceof AlreadyExistsError ? error.message : error instanceof TemplateError ? error.message : awsErrorLine(error) });
      throw error;
    };
    const create = async (detail: string | undefined, action: string, kind: 'CREATE' | 'UPDATE'): Promise<void> => {
      events.emit({ status: `${kind}_IN_PROGRESS`, type: hosted.type, logicalId: id, detail });
      const created = await hosted.create(context, properties).catch(failed(`${kind}_FAILED`));
      const record: StackResourceState = { type: hosted.type, physicalId: created.physicalId, properties, attributes: created.attributes, dependsOn, ...policies };
      this.#current.set(id, record);
      await this.#save();
      events.emit({ status: `${kind}_COMPLETE`, type: hosted.type, logicalId: id, detail: created.physicalId });
      this.#results.push({ logicalId: id, type: hosted.type, physicalId: created.physicalId, action });
    };
    if (prior === undefined) {
      const named = properties.Name ?? properties.ConsumerName ?? properties.ResourceArn;
      await create(typeof named === 'string' ? named : undefined, 'CREATED', 'CREATE');
      steps.push({ kind: 'created', logicalId: id });
      return;
    }
    if (!(await hosted.exists(context, prior).catch(failed('UPDATE_FAILED')))) {
      this.#current.delete(id);
      await create(`${prior.physicalId} is gone from the server: creating it again`, 'RECREATED', 'CREATE');
      steps.push({ kind: 'created', logicalId: id });
      return;
    }
    if (hosted.createOnly.some((key) => canonical(prior.properties[key]) !== canonical(properties[key]))) {
      // CloudFormation's replacement: the new one first, the old one deleted in the cleanup at the end.
      this.#retired.push({ ...prior, logicalId: id });
      await create('Requested update requires the creation of a new physical resource; hence creating one.', 'REPLACED', 'UPDATE');
      steps.push({ kind: 'replaced', logicalId: id, before: prior });
      return;
    }
    if (canonical(prior.properties) === canonical(properties)) {
      this.#results.push({ logicalId: id, type: hosted.type, physicalId: prior.physicalId, action: 'UNCHANGED' });
      const { deletionPolicy: _d, updateReplacePolicy: _u, ...rest } = prior;
      this.#current.set(id, { ...rest, dependsOn, ...policies });
      return;
    }
    events.emit({ status: 'UPDATE_IN_PROGRESS', type: hosted.type, logicalId: id, detail: prior.physicalId });
    const attributes = await hosted.update(context, prior, properties).catch((error: unknown) => {
      // What the update changed before it failed is undone in the rollback, as CloudFormation rolls back the failed resource too.
      this.#current.set(id, { ...prior, properties });
      steps.push({ kind: 'updated', logicalId: id, before: prior });
      return failed('UPDATE_FAILED')(error);
    });
    const { deletionPolicy: _d, updateReplacePolicy: _u, ...rest } = prior;
    this.#current.set(id, { ...rest, properties, attributes, dependsOn, ...policies });
    await this.#save();
    steps.push({ kind: 'updated', logicalId: id, before: prior });
    events.emit({ status: 'UPDATE_COMPLETE', type: hosted.type, logicalId: id, detail: prior.physicalId });
    this.#results.push({ logicalId: id, type: hosted.type, physicalId: prior.physicalId, action: 'UPDATED' });
  }

  /** Deletes what the template no longer has (or whose condition is false) and what was replaced: dependents first. */
  async #cleanUp(): Promise<void> {
    const gone: RetiredResource[] = [
      ...[...this.#current].filter(([id]) => !this.#active.has(id) || !this.#input.template.resources.has(id)).map(([logicalId, record]) => ({ ...record, logicalId })),
      ...this.#retired,
    ];
    for (const resource of deletionOrder(gone)) {
      await this.#delete(resource, this.#retired.includes(resource) ? resource.updateReplacePolicy : resource.deletionPolicy);
      if (this.#retired.includes(resource)) this.#retired = this.#retired.filter((r) => r !== resource);
      else this.#current.delete(resource.logicalId);
      await this.#save();
    }
  }

  async #delete(resource: RetiredResource, policy: string | undefined): Promise<void> {
    const { events, hostedTypes } = this.#input;
    const hosted = hostedTypes.get(resource.type)!;
    if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
      events.emit({ status: 'DELETE_SKIPPED', type: resource.type, logicalId: resource.logicalId, detail: `${resource.physicalId} kept: its policy is ${policy}` });
      this.#results.push({ logicalId: resource.logicalId, type: resource.type, physicalId: resource.physicalId, action: 'RETAINED' });
      return;
    }
    events.emit({ status: 'DELETE_IN_PROGRESS', type: resource.type, logicalId: resource.logicalId, detail: resource.physicalId });
    try {
      await hosted.delete(this.#resourceContext(resource.logicalId), resource);
    } catch (error) {
      events.emit({ status: 'DELETE_FAILED', type: resource.type, logicalId: resource.logicalId, detail: awsErrorLine(error) });
      throw error;
    }
    events.emit({ status: 'DELETE_COMPLETE', type: resource.type, logicalId: resource.logicalId, detail: resource.physicalId });
    this.#results.push({ logicalId: resource.logicalId, type: resource.type, physicalId: resource.physicalId, action: 'DELETED' });
  }

  /** Undoes this run's changes, newest first, as CloudFormation's rollback: created ones deleted, updated ones set back. */
  async #rollBack(steps: readonly Step[], updating: boolean): Promise<void> {
    const { events, hostedTypes, identity } = this.#input;
    const stackType = 'AWS::CloudFormation::Stack';
    events.emit({ status: updating ? 'UPDATE_ROLLBACK_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS', type: stackType, logicalId: identity.stackName });
    try {
      for (const step of [...steps].reverse()) {
        const current = this.#current.get(step.logicalId)!;
        if (step.kind === 'updated') {
          events.emit({ status: 'UPDATE_IN_PROGRESS', type: current.type, logicalId: step.logicalId, detail: `rolling back ${current.physicalId}` });
          await hostedTypes.get(current.type)!.update(this.#resourceContext(step.logicalId), current, step.before.properties);
          this.#current.set(step.logicalId, step.before);
          events.emit({ status: 'UPDATE_COMPLETE', type: current.type, logicalId: step.logicalId, detail: current.physicalId });
        } else {
          await this.#delete({ ...current, logicalId: step.logicalId }, current.deletionPolicy === 'Retain' ? 'Retain' : undefined);
          if (step.kind === 'replaced') {
            this.#current.set(step.logicalId, step.before);
            this.#retired = this.#retired.filter((r) => !(r.logicalId === step.logicalId && r.physicalId === step.before.physicalId));
          } else {
            this.#current.delete(step.logicalId);
          }
        }
        await this.#save();
      }
    } catch (error) {
      events.emit({ status: updating ? 'UPDATE_ROLLBACK_FAILED' : 'ROLLBACK_FAILED', type: stackType, logicalId: identity.stackName, detail: awsErrorLine(error) });
      return;
    }
    if (!updating && this.#current.size === 0 && this.#retired.length === 0) await this.#input.stateFile.remove();
    events.emit({ status: updating ? 'UPDATE_ROLLBACK_COMPLETE' : 'ROLLBACK_COMPLETE', type: stackType, logicalId: identity.stackName });
  }

  async #save(outputs?: readonly StackOutput[]): Promise<void> {
    const { identity, previous } = this.#input;
    const state: StackState = {
      version: 1,
      stackName: identity.stackName,
      stackId: identity.stackId,
      target: identity.target,
      region: identity.region,
      accountId: identity.accountId,
      templateFile: identity.templateFile,
      resources: Object.fromEntries(this.#current),
      ...(this.#retired.length > 0 ? { retired: this.#retired } : {}),
      outputs: outputs
        ? Object.fromEntries(outputs.map((o) => [o.key, { value: o.value, ...(o.description !== undefined ? { description: o.description } : {}), ...(o.exportName !== undefined ? { exportName: o.exportName } : {}), ...(o.unavailable !== undefined ? { unavailable: o.unavailable } : {}) }]))
        : (previous?.outputs ?? {}),
      updatedAt: new Date().toISOString(),
    };
    await this.#input.stateFile.save(state);
  }
}

/** Resources to delete, each before the ones it depends on (reverse creation order). */
export function deletionOrder<T extends { logicalId: string; dependsOn: readonly string[] }>(resources: readonly T[]): T[] {
  const remaining = [...resources];
  const order: T[] = [];
  while (remaining.length > 0) {
    // Deletable: nothing still remaining depends on it.
    const index = remaining.findIndex((candidate) => !remaining.some((other) => other !== candidate && other.dependsOn.includes(candidate.logicalId)));
    const [next] = remaining.splice(index === -1 ? remaining.length - 1 : index, 1);
    order.push(next!);
  }
  return order;
}

