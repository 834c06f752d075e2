/** A TreeSelect over the caller's visible organisations (the same tree as the header's 组织切换). */
import { TreeSelect } from 'antd';
import { type CSSProperties, useMemo } from 'react';
import type { Org } from '../api/types';
import { useOrgs } from '../hooks/useOrgs';
import { buildOrgTreeData } from './orgTreeData';

interface Props {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Orgs that cannot be picked (still shown, for the tree's sake). */
  disabled?: (org: Org) => boolean;
  style?: CSSProperties;
  /** Sizing by class (then no inline width). */
  className?: string;
  id?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}

export function OrgTreeSelect({
  value,
  onChange,
  placeholder,
  allowClear,
  disabled,
  style,
  className,
  ...rest
}: Props) {
  const { index, isLoading } = useOrgs();
  const treeData = useMemo(() => buildOrgTreeData(index, index.roots, { disabled }), [index, disabled]);
  const known = value !== null && value !== undefined && index.byId.has(String(value));
  return (
    <TreeSelect
      {...rest}
      className={className}
      style={className ? style : { width: '100%', ...style }}
      loading={isLoading}
      value={known ? String(value) : undefined}
      placeholder={placeholder}
      allowClear={allowClear}
      treeData={treeData}
      treeDefaultExpandedKeys={index.roots.map((org) => String(org.id))}
      showSearch={{ treeNodeFilterProp: 'title' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'min(460px, 96vw)' } } }}
      onChange={(next: string | undefined) => onChange?.(next ?? undefined)}
    />
  );
}
