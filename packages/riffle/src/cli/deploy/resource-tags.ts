/** CloudFormation's tag list (`[{Key, Value}]`), as Kinesis takes tags: a map. */
export interface TagProperty {
  readonly Key: string;
  readonly Value: string;
}

export const tagMap = (tags: readonly TagProperty[]): Record<string, string> => Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
export const tagList = (tags: Record<string, string>): TagProperty[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
