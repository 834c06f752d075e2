/** Searchable tree of the visible organisations, with kind tags and 换届 warnings. */
import { WarningFilled } from '@ant-design/icons';
import { Empty, Input, Tooltip, Tree } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Org } from '../../api/types';
import { isTermDue, OrgKindTag } from '../../components/OrgTags';
import { buildOrgTreeData, type OrgTreeNode } from '../../components/orgTreeData';
import { ancestorIds, type OrgIndex } from '../../hooks/useOrgs';

interface Props {
  index: OrgIndex;
  roots: Org[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

function highlight(text: string, query: string): ReactNode {
  if (!query) return text;
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

export function OrgTreePanel({ index, roots, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<string[]>(() => roots.map((org) => String(org.id)));
  const trimmed = query.trim();

  // Whenever a node is selected from outside (created, moved, located), open the way to it.
  useEffect(() => {
    if (!selectedId || !index.byId.has(selectedId)) return;
    const path = ancestorIds(index, selectedId);
    setExpanded((current) => {
      const missing = path.filter((id) => !current.includes(id));
      return missing.length > 0 ? [...current, ...missing] : current;
    });
  }, [selectedId, index]);

  // A new root (org switcher) starts expanded.
  useEffect(() => {
    setExpanded((current) => {
      const missing = roots.map((org) => String(org.id)).filter((id) => !current.includes(id));
      return missing.length > 0 ? [...current, ...missing] : current;
    });
  }, [roots]);

  const search = useMemo(() => {
    if (!trimmed) return null;
    const needle = trimmed.toLowerCase();
    const visible = new Set<string>();
    const open = new Set<string>();
    for (const org of index.items) {
      const hit = org.name.toLowerCase().includes(needle) || (org.unitName ?? '').toLowerCase().includes(needle);
      if (!hit) continue;
      visible.add(String(org.id));
      for (const id of ancestorIds(index, org.id)) {
        visible.add(id);
        open.add(id);
      }
    }
    return { visible, open: [...open] };
  }, [trimmed, index]);

  const treeData = useMemo(
    () => buildOrgTreeData(index, roots, search ? { include: (org) => search.visible.has(String(org.id)) } : {}),
    [index, roots, search],
  );

  const renderTitle = (node: OrgTreeNode) => {
    const org = node.org;
    const due = isTermDue(org.termStatus);
    return (
      <span
        className="org-tree-title"
        data-testid="org-node"
        data-org-id={node.key}
        data-parent-id={org.parentId === null ? '' : String(org.parentId)}
      >
        <span>{highlight(org.name, trimmed)}</span>
        <OrgKindTag org={org} />
        {due ? (
          <Tooltip title={t(`termStatus.${org.termStatus}`)}>
            <WarningFilled
              data-testid="org-term-warning"
              style={{ color: org.termStatus === 'overdue' ? '#cf1322' : '#fa8c16' }}
            />
          </Tooltip>
        ) : null}
      </span>
    );
  };

  return (
    <div>
      <Input.Search
        allowClear
        placeholder={t('orgs.searchPlaceholder')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        style={{ marginBottom: 8 }}
        data-testid="org-search"
      />
      <div className="org-tree-panel" data-testid="org-tree">
        {treeData.length === 0 ? (
          <Empty description={trimmed ? t('orgs.noMatch') : t('orgs.empty')} />
        ) : (
          <Tree<OrgTreeNode>
            blockNode
            showLine
            treeData={treeData}
            titleRender={renderTitle}
            expandedKeys={search ? search.open : expanded}
            onExpand={(keys) => {
              if (!search) setExpanded(keys.map(String));
            }}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => {
              if (keys.length > 0) onSelect(String(keys[0]));
            }}
          />
        )}
      </div>
    </div>
  );
}
