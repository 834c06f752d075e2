/** `/learn/library` 学习资料库: search, topic and kind chips, "continue where I stopped", the published items. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Input, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CONTENT_KINDS, type ContentKind, fetchContents, LEARNING_KEY, SUGGESTED_TOPICS } from '../../api/learning';
import { QueryError } from '../../components/QueryError';
import { useDebounced } from '../../hooks/useDebounced';

import { ContentRow } from './common';

const PAGE_SIZE = 20;

export function LibraryPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const topic = params.get('topic') ?? undefined;
  const kind = (params.get('kind') as ContentKind | null) ?? undefined;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim());
  const [pages, setPages] = useState(1);
  const query = { q: q || undefined, topic, kind, status: 'published' as const, page: 1, pageSize: PAGE_SIZE * pages };
  const list = useQuery({ queryKey: [...LEARNING_KEY, 'library', query], queryFn: () => fetchContents(query) });
  const items = list.data?.items ?? [];
  const inProgress = items.filter((item) => item.progress && item.progress.position > 0 && !item.progress.completed);

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPages(1);
  };

  return (
    <Flex vertical gap={12} className="learn-page" data-testid="learn-library">
      <Input.Search
        size="large"
        allowClear
        placeholder={t('learning.library.search')}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        data-testid="library-search"
      />
      <div className="learn-chips" data-testid="library-topics">
        <Tag.CheckableTag checked={!topic} onChange={() => set('topic', undefined)}>
          {t('learning.library.allTopics')}
        </Tag.CheckableTag>
        {SUGGESTED_TOPICS.map((name) => (
          <Tag.CheckableTag key={name} checked={topic === name} onChange={(on) => set('topic', on ? name : undefined)}>
            {name}
          </Tag.CheckableTag>
        ))}
      </div>
      <div className="learn-chips" data-testid="library-kinds">
        <Tag.CheckableTag checked={!kind} onChange={() => set('kind', undefined)}>
          {t('learning.library.allKinds')}
        </Tag.CheckableTag>
        {CONTENT_KINDS.map((name) => (
          <Tag.CheckableTag key={name} checked={kind === name} onChange={(on) => set('kind', on ? name : undefined)}>
            {t(`learning.kind.${name}`)}
          </Tag.CheckableTag>
        ))}
      </div>

      {inProgress.length > 0 ? (
        <Card size="small" title={t('learning.home.continue')} data-testid="library-continue">
          {inProgress.slice(0, 3).map((item) => (
            <ContentRow key={item.id} item={item} />
          ))}
        </Card>
      ) : null}

      <Card size="small" title={t('learning.library.all', { count: list.data?.total ?? 0 })}>
        {list.error ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.isLoading ? (
          <Skeleton active />
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('learning.library.empty')} />
        ) : (
          <div data-testid="library-list">
            {items.map((item) => (
              <ContentRow key={item.id} item={item} />
            ))}
          </div>
        )}
        {list.data && items.length < list.data.total ? (
          <Button block onClick={() => setPages(pages + 1)} loading={list.isFetching} style={{ marginTop: 8 }}>
            {t('learning.library.more')}
          </Button>
        ) : null}
      </Card>
    </Flex>
  );
}
