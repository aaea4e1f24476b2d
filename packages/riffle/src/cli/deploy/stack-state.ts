import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { KinesisTarget } from '../kinesis-target.js';
import type { ResourceRecord } from './hosted-resource.js';
import type { TemplateValue } from './template-value.js';

export interface StackResourceState extends ResourceRecord {
  /** The logical ids it depended on when applied: the order to delete it in, even once gone from the template. */
  readonly dependsOn: readonly string[];
  /** As the template last said: `Retain` (or `RetainExceptOnCreate`) keeps it when the stack deletes it or lets go of it. */
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

export interface RetiredResource extends StackResourceState {
  readonly logicalId: string;
}

export interface StackOutputState {
  readonly value: string | null;
  readonly description?: string;
  readonly exportName?: string;
  readonly unavailable?: string;
}

/** What a stack owns on one target, saved after every change so that nothing it created is ever orphaned. */
export interface StackState {
  readonly version: 1;
  readonly stackName: string;
  readonly stackId: string;
  readonly target: string;
  readonly region: string;
  readonly accountId: string;
  readonly templateFile: string;
  readonly resources: Readonly<Record<string, StackResourceState>>;
  /** Resources replaced by new ones and not yet deleted (the last step of a deploy). */
  readonly retired?: readonly RetiredResource[];
  readonly outputs: Readonly<Record<string, StackOutputState>>;
  readonly updatedAt: string;
}

/** `--state-dir`, else `$RIFFLE_STATE_DIR`, else `~/.riffle/stacks`. */
export const defaultStateDir = (env: NodeJS.ProcessEnv): string => env.RIFFLE_STATE_DIR || join(env.HOME || homedir(), '.riffle', 'stacks');

/** The target a stack lives on, as a folder name: the endpoint (or AWS) and the region. */
export function targetKey(target: KinesisTarget): string {
  const where = target.endpoint === undefined ? 'aws' : target.endpoint.replace(/^[a-z]+:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_');
  return `${where}-${target.region}`;
}

export const targetLabel = (target: KinesisTarget): string => target.endpoint ?? `aws (${target.region})`;

/** One stack's state file: `<state dir>/<target>/<stack>.json`, replaced atomically (write, then rename). */
export class StackStateFile {
  readonly path: string;

  constructor(stateDir: string, target: KinesisTarget, stackName: string) {
    this.path = join(stateDir, targetKey(target), `${stackName}.json`);
  }

  async load(): Promise<StackState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CliError(`cannot read the stack state ${this.path}: ${(error as Error).message}`, 1);
    }
    try {
      const state = JSON.parse(text) as StackState;
      if (state.version !== 1 || typeof state.resources !== 'object') throw new Error('not a riffle stack state (version 1)');
      return state;
    } catch (error) {
      throw new CliError(`the stack state ${this.path} is damaged (${(error as Error).message}): fix or remove it`, 1);
    }
  }

  async save(state: StackState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

