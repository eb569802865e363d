import type { DeploymentGroupInfo, InstanceInfo, Tag, TagFilter } from '@aws-sdk/client-codedeploy';

/** Whether one on-premises tag filter matches an instance's tags (KEY_ONLY, VALUE_ONLY, KEY_AND_VALUE). */
export function tagFilterMatches(filter: TagFilter, tags: readonly Tag[]): boolean {
  return tags.some((tag) => {
    switch (filter.Type) {
      case 'KEY_ONLY':
        return tag.Key === filter.Key;
      case 'VALUE_ONLY':
        return tag.Value === filter.Value;
      default:
        return tag.Key === filter.Key && tag.Value === filter.Value;
    }
  });
}

/**
 * Whether the group's on-premises selection includes an instance. `onPremisesInstanceTagFilters` is
 * one OR-ed list; `onPremisesTagSet` is a list of such groups that must all match (AND of ORs).
 * Deregistered instances are never selected. The local CodeDeploy deploys to what this selects;
 * `plan` lists it.
 */
export function groupSelectsInstance(group: DeploymentGroupInfo, instance: InstanceInfo): boolean {
  return !instance.deregisterTime && groupTagsMatch(group, instance);
}

/**
 * Whether an instance's tags match the group's on-premises selection, registered or not: a
 * deregistered instance that still matches is one the group expected and will not reach (offline).
 */
export function groupTagsMatch(group: DeploymentGroupInfo, instance: InstanceInfo): boolean {
  const tags = instance.tags ?? [];
  const sets = group.onPremisesTagSet?.onPremisesTagSetList?.filter((set) => set.length > 0) ?? [];
  if (sets.length > 0) return sets.every((set) => set.some((filter) => tagFilterMatches(filter, tags)));
  const filters = group.onPremisesInstanceTagFilters ?? [];
  return filters.length > 0 && filters.some((filter) => tagFilterMatches(filter, tags));
}
