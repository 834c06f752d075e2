/** Create a child organisation or edit one; server validation errors appear at the named field. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createOrg, updateOrg } from '../../api/orgs';
import type { Org, OrgInput, OrgKind } from '../../api/types';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { DivisionCascader } from './DivisionCascader';

export type OrgFormMode = { type: 'create'; parent: Org } | { type: 'edit'; org: Org };

interface Values {
  name: string;
  kind: OrgKind;
  isJoint?: boolean;
  unitName?: string;
  divisionCode?: string | null;
  foundedOn?: Dayjs | null;
  termStart?: Dayjs | null;
  termYears?: number | null;
}

const FIELDS = ['name', 'kind', 'isJoint', 'unitName', 'divisionCode', 'foundedOn', 'termStart', 'termYears'] as const;

/** Kinds allowed under a parent: 党小组 only under a 党支部, nothing under a 党小组. */
export function childKinds(parent: Org | undefined): OrgKind[] {
  if (!parent) return ['committee', 'general_branch', 'branch'];
  if (parent.kind === 'group') return [];
  if (parent.kind === 'branch') return ['group'];
  return ['committee', 'general_branch', 'branch'];
}

function defaultChildKind(parent: Org): OrgKind {
  return parent.kind === 'branch' ? 'group' : 'branch';
}

function toDay(value: string | null): Dayjs | null {
  return value ? dayjs(value) : null;
}

function toInput(values: Values): OrgInput {
  const day = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);
  return {
    name: values.name.trim(),
    kind: values.kind,
    isJoint: values.kind === 'branch' ? Boolean(values.isJoint) : false,
    unitName: values.unitName?.trim() || null,
    divisionCode: values.divisionCode || null,
    foundedOn: day(values.foundedOn),
    termStart: day(values.termStart),
    termYears: values.termYears ?? null,
  };
}

export function OrgFormModal({
  mode,
  onClose,
  onSaved,
}: {
  mode: OrgFormMode;
  onClose: () => void;
  onSaved: (org: Org) => Promise<void>;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [error, setError] = useState<string | null>(null);

  const editing = mode.type === 'edit' ? mode.org : null;
  const kinds: OrgKind[] = editing
    ? Array.from(new Set<OrgKind>([editing.kind, 'committee', 'general_branch', 'branch', 'group']))
    : childKinds(mode.type === 'create' ? mode.parent : undefined);

  const initialValues: Values = editing
    ? {
        name: editing.name,
        kind: editing.kind,
        isJoint: editing.isJoint,
        unitName: editing.unitName ?? '',
        divisionCode: editing.divisionCode,
        foundedOn: toDay(editing.foundedOn),
        termStart: toDay(editing.termStart),
        termYears: editing.termYears,
      }
    : {
        name: '',
        kind: mode.type === 'create' ? defaultChildKind(mode.parent) : 'branch',
        isJoint: false,
        unitName: mode.type === 'create' ? (mode.parent.unitName ?? '') : '',
        divisionCode: mode.type === 'create' ? mode.parent.divisionCode : null,
        termYears: 3,
      };

  const save = useMutation({
    mutationFn: (values: Values) =>
      mode.type === 'create'
        ? createOrg({ ...toInput(values), parentId: mode.parent.id })
        : updateOrg(mode.org.id, toInput(values)),
    onSuccess: (org) => onSaved(org),
    onError: (caught) => {
      if (!showFieldError(form, caught, FIELDS, errorText)) setError(errorText(caught));
    },
  });

  return (
    <Modal
      open
      title={mode.type === 'create' ? t('orgs.form.addTitle', { parent: mode.parent.name }) : t('orgs.form.editTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="org-form-submit"
        >
          {t('common.save')}
        </Button>,
      ]}
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
        data-testid="org-form"
      >
        <Form.Item
          name="name"
          label={t('orgs.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('orgs.form.nameRequired') }, { max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('orgs.fields.kind')}
          rules={[{ required: true, message: t('orgs.form.kindRequired') }]}
        >
          <Select options={kinds.map((value) => ({ value, label: t(`orgKind.${value}`) }))} />
        </Form.Item>
        {kind === 'branch' ? (
          <Form.Item name="isJoint" valuePropName="checked" extra={t('orgs.fields.isJointHint')}>
            <Checkbox>{t('orgs.fields.isJoint')}</Checkbox>
          </Form.Item>
        ) : null}
        <Form.Item name="unitName" label={t('orgs.fields.unitName')} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('orgs.fields.division')}>
          <DivisionCascader />
        </Form.Item>
        <Form.Item name="foundedOn" label={t('orgs.fields.foundedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="termStart" label={t('orgs.fields.termStart')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="termYears" label={t('orgs.fields.termYears')} style={{ width: 120 }}>
            <InputNumber min={1} max={10} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
