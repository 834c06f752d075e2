/** 行政区划 picker: Sichuan's 市(州) from `?parent=51`, their 县(区) loaded when a city is opened. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Cascader } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchDivisions } from '../../api/orgs';
import type { Division } from '../../api/types';

const PROVINCE = '51';

interface Props {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
}

interface Option {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Option[];
}

export function DivisionCascader({ value, onChange, id }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const cities = useQuery({
    queryKey: ['divisions', PROVINCE],
    queryFn: () => fetchDivisions(PROVINCE),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [counties, setCounties] = useState<Record<string, Division[]>>({});

  const loadCounties = useCallback(
    async (city: string) => {
      const list = await client.fetchQuery({
        queryKey: ['divisions', city],
        queryFn: () => fetchDivisions(city),
        staleTime: Number.POSITIVE_INFINITY,
      });
      setCounties((current) => (current[city] ? current : { ...current, [city]: list }));
    },
    [client],
  );

  // The city whose code prefixes the value (a county code starts with its city's code).
  const city = useMemo(
    () =>
      value && value !== PROVINCE
        ? cities.data?.find((item) => value === item.code || value.startsWith(item.code))
        : undefined,
    [value, cities.data],
  );

  useEffect(() => {
    if (city && value !== city.code && !counties[city.code]) void loadCounties(city.code).catch(() => undefined);
  }, [city, value, counties, loadCounties]);

  const options = useMemo<Option[]>(
    () => [
      // Provincial bodies carry the province's own code.
      { value: PROVINCE, label: t('orgs.fields.provinceLevel'), isLeaf: true },
      ...(cities.data ?? []).map((item) => {
        const list = counties[item.code];
        return {
          value: item.code,
          label: item.name,
          isLeaf: list ? list.length === 0 : false,
          children: list?.map((county) => ({ value: county.code, label: county.name, isLeaf: true })),
        };
      }),
    ],
    [cities.data, counties, t],
  );

  const path = !value || !city ? (value ? [value] : []) : value === city.code ? [city.code] : [city.code, value];

  return (
    <Cascader<Option>
      id={id}
      options={options}
      value={path}
      loading={cities.isLoading}
      changeOnSelect
      allowClear
      placeholder={t('orgs.fields.divisionPlaceholder')}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        if (last && last.value !== PROVINCE && !counties[last.value])
          void loadCounties(last.value).catch(() => undefined);
      }}
      onChange={(next) => {
        const list = (next ?? []) as string[];
        onChange?.(list.length > 0 ? list[list.length - 1] : null);
      }}
      data-testid="division-cascader"
    />
  );
}
