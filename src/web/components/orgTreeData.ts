/** Turns the flat org list into antd Tree / TreeSelect data. */
import type { Org } from '../api/types';
import type { OrgIndex } from '../hooks/useOrgs';

export interface OrgTreeNode {
  key: string;
  value: string;
  title: string;
  org: Org;
  disabled?: boolean;
  children?: OrgTreeNode[];
}

interface Options {
  /** Leave out nodes (and their subtrees) for which this returns false. */
  include?: (org: Org) => boolean;
  disabled?: (org: Org) => boolean;
}

export function buildOrgTreeData(index: OrgIndex, roots: Org[], options: Options = {}): OrgTreeNode[] {
  const build = (org: Org): OrgTreeNode => {
    const key = String(org.id);
    const children = (index.children.get(key) ?? []).filter((child) => options.include?.(child) ?? true).map(build);
    return {
      key,
      value: key,
      title: org.name,
      org,
      disabled: options.disabled?.(org),
      children: children.length > 0 ? children : undefined,
    };
  };
  return roots.filter((org) => options.include?.(org) ?? true).map(build);
}
