/**
 * Create or edit a member. The client checks what the server checks (shared `parseIdNumber` and
 * `memberRuleErrors`): ID checksum, birth date and gender from the ID (filled in automatically), 18 at joining,
 * date order, 转正日期 by category. Server errors land on the field they name.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Form, Input, Modal, Radio, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInShanghai } from '../../../shared/dates';
import {
  EDUCATIONS,
  ETHNICITIES,
  GENDERS,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
  memberRuleErrors,
  PHONE_RE,
  parseIdNumber,
} from '../../../shared/members';
import { ApiError } from '../../api/client';
import { createMember, MEMBERS_KEY, updateMember } from '../../api/members';
import { STAFFING_KEY, TRAINING_KEY } from '../../api/staffing';
import type { Member, MemberCategory, MemberInput, MemberStatus } from '../../api/types';
import { useMemberLabels } from '../../components/MemberTags';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useErrorText } from '../../hooks/useErrorText';
import { useReasonText } from '../../hooks/useReasonText';

interface Values {
  name: string;
  idNumber?: string;
  gender?: '男' | '女';
  birthDate?: Dayjs | null;
  ethnicity?: string;
  phone?: string;
  education?: string | null;
  unit?: string;
  title?: string;
  orgId?: string;
  category?: MemberCategory;
  joinedAt?: Dayjs | null;
  fullAt?: Dayjs | null;
  status?: MemberStatus;
}

const FIELDS = [
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'ethnicity',
  'phone',
  'education',
  'unit',
  'title',
  'orgId',
  'category',
  'joinedAt',
  'fullAt',
  'status',
] as const;

const day = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : undefined);

function toInput(values: Values, editing: boolean): Partial<MemberInput> {
  const input: Partial<MemberInput> = {
    name: values.name.trim(),
    gender: values.gender,
    ethnicity: values.ethnicity,
    birthDate: day(values.birthDate),
    education: values.education ?? null,
    unit: values.unit?.trim() || null,
    title: values.title?.trim() || null,
    orgId: values.orgId ? Number(values.orgId) : undefined,
    category: values.category,
    joinedAt: day(values.joinedAt),
    fullAt: values.category === 'probationary' ? null : (day(values.fullAt) ?? null),
    status: values.status,
  };
  const id = values.idNumber?.trim().toUpperCase();
  const phone = values.phone?.trim();
  // Editing: the numbers are masked, so an empty box keeps the stored one.
  if (id || !editing) input.idNumber = id ?? '';
  if (phone) input.phone = phone;
  else if (!editing) input.phone = null;
  return input;
}

interface Props {
  member?: Member;
  defaultOrg?: string;
  onClose: () => void;
  onSaved: (member: Member) => void;
}

export function MemberFormModal({ member, defaultOrg, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const labels = useMemberLabels();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const reason = useReasonText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const category = Form.useWatch('category', form);
  const [error, setError] = useState<string | null>(null);
  const editing = Boolean(member);

  const initialValues: Values = member
    ? {
        name: member.name,
        gender: member.gender ?? undefined,
        birthDate: member.birthDate ? dayjs(member.birthDate) : null,
        ethnicity: member.ethnicity ?? undefined,
        education: member.education,
        unit: member.unit ?? '',
        title: member.title ?? '',
        orgId: String(member.orgId),
        category: member.category,
        joinedAt: member.joinedAt ? dayjs(member.joinedAt) : null,
        fullAt: member.fullAt ? dayjs(member.fullAt) : null,
        status: member.status,
      }
    : { name: '', ethnicity: '汉族', category: 'full', status: 'normal', orgId: defaultOrg };

  /** The shared rules' verdict on one field, from the whole form. */
  const ruleValidator = (field: string) => async () => {
    const values = form.getFieldsValue();
    const id = values.idNumber?.trim();
    const errors = memberRuleErrors(
      {
        // An empty ID box (editing) keeps the stored number, which the server checks against.
        idNumber: id || undefined,
        gender: values.gender,
        birthDate: day(values.birthDate),
        category: values.category,
        joinedAt: day(values.joinedAt),
        fullAt: day(values.fullAt) ?? null,
      },
      todayInShanghai(),
    ).filter((e) => e.field === field);
    if (errors.length > 0) throw new Error(reason(errors[0]!.message));
  };

  const save = useMutation({
    mutationFn: (values: Values) => {
      const input = toInput(values, editing);
      return member ? updateMember(member.id, input) : createMember(input as MemberInput);
    },
    onSuccess: async (saved) => {
      message.success(member ? t('members.form.updated') : t('members.form.created', { name: saved.name }));
      await Promise.all([
        client.invalidateQueries({ queryKey: MEMBERS_KEY }),
        client.invalidateQueries({ queryKey: STAFFING_KEY }),
        client.invalidateQueries({ queryKey: TRAINING_KEY }),
      ]);
      onSaved(saved);
    },
    onError: (caught) => {
      if (caught instanceof ApiError) {
        const listed = (caught.details as { errors?: { field: string; message: string }[] } | undefined)?.errors;
        const fieldErrors = (listed ?? (caught.field ? [{ field: caught.field, message: '' }] : [])).filter((e) =>
          (FIELDS as readonly string[]).includes(e.field),
        );
        if (fieldErrors.length > 0) {
          const detail = (e: { field: string; message: string }) => {
            if (caught.code !== 'validation') return errorText(caught);
            const text = e.message || caught.serverMessage.replace(`${e.field}: `, '');
            return reason(text);
          };
          form.setFields(fieldErrors.map((e) => ({ name: e.field as keyof Values, errors: [detail(e)] })));
          return;
        }
      }
      setError(errorText(caught));
    },
  });

  const required = (field: string) => ({
    required: true,
    message: t('members.form.required', { field: t(`members.fields.${field}`) }),
  });
  const selectRequired = (field: string) => ({
    required: true,
    message: t('members.form.select', { field: t(`members.fields.${field}`) }),
  });
  const full = { xs: 24, sm: 12 };

  return (
    <Modal
      open
      width={760}
      title={member ? t('members.form.editTitle', { name: member.name }) : t('members.form.createTitle')}
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
          data-testid="member-form-submit"
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
        data-testid="member-form"
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
        onValuesChange={(changed: Partial<Values>) => {
          // Birth date and gender follow a valid ID number.
          if (changed.idNumber !== undefined) {
            const parsed = parseIdNumber(changed.idNumber);
            if (parsed.ok) {
              form.setFieldsValue({ birthDate: dayjs(parsed.info.birthDate), gender: parsed.info.gender });
              void form.validateFields(['birthDate', 'gender', 'joinedAt']).catch(() => undefined);
            }
          }
          if (changed.category === 'probationary') form.setFieldsValue({ fullAt: null });
        }}
      >
        <Row gutter={16}>
          <Col {...full}>
            <Form.Item name="name" label={t('members.fields.name')} rules={[required('name'), { whitespace: true }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="idNumber"
              label={t('members.fields.idNumber')}
              extra={member ? t('members.form.idKeep', { masked: member.idNumber ?? '—' }) : t('members.form.idHint')}
              rules={[
                ...(member ? [] : [required('idNumber')]),
                {
                  validator: async (_, value: string | undefined) => {
                    if (!value?.trim()) return;
                    const parsed = parseIdNumber(value);
                    if (!parsed.ok) throw new Error(reason(parsed.reason));
                  },
                },
              ]}
            >
              <Input maxLength={18} className="masked-number" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="gender"
              label={t('members.fields.gender')}
              dependencies={['idNumber']}
              rules={[selectRequired('gender'), { validator: ruleValidator('gender') }]}
            >
              <Radio.Group options={GENDERS.map((value) => ({ value, label: t(`gender.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="birthDate"
              label={t('members.fields.birthDate')}
              dependencies={['idNumber']}
              rules={[selectRequired('birthDate'), { validator: ruleValidator('birthDate') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="ethnicity" label={t('members.fields.ethnicity')} rules={[selectRequired('ethnicity')]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={ETHNICITIES.map((value) => ({ value, label: labels.ethnicity(value) }))}
              />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="phone"
              label={t('members.fields.phone')}
              extra={member?.phone ? t('members.form.phoneKeep', { masked: member.phone }) : undefined}
              rules={[{ pattern: PHONE_RE, message: reason('must be an 11-digit mobile number') }]}
            >
              <Input maxLength={11} className="masked-number" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="education" label={t('members.fields.education')}>
              <Select allowClear options={EDUCATIONS.map((value) => ({ value, label: labels.education(value) }))} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="orgId" label={t('members.fields.orgId')} rules={[selectRequired('orgId')]}>
              <OrgTreeSelect data-testid="member-form-org" />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="unit" label={t('members.fields.unit')} rules={[{ max: 100 }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="title" label={t('members.fields.title')} rules={[{ max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="category" label={t('members.fields.category')} rules={[selectRequired('category')]}>
              <Radio.Group
                optionType="button"
                options={MEMBER_CATEGORIES.map((value) => ({ value, label: t(`memberCategory.${value}`) }))}
              />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="status" label={t('members.fields.status')}>
              <Select options={MEMBER_STATUSES.map((value) => ({ value, label: t(`memberStatus.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="joinedAt"
              label={t('members.fields.joinedAt')}
              dependencies={['birthDate', 'idNumber']}
              rules={[selectRequired('joinedAt'), { validator: ruleValidator('joinedAt') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item
              name="fullAt"
              label={t('members.fields.fullAt')}
              dependencies={['joinedAt', 'category']}
              rules={[{ validator: ruleValidator('fullAt') }]}
            >
              <DatePicker style={{ width: '100%' }} disabled={category === 'probationary'} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
