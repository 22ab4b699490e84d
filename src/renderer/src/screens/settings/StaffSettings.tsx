import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Role } from '../../../../shared/contract/define';
import type { StaffRecord } from '../../../../shared/contract/staffAdmin';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { useApp } from '../../stores/appStore';
import { errorFor, useChange, useLoad } from './adminKit';

const ROLE_WORDS: Record<Role, string> = { clerk: 'Clerk', manager: 'Manager', admin: 'Admin' };

/** Staff: add, change role, disable or enable, reset a PIN, unlock. Main enforces who may do what. */
export function StaffSettings() {
  const me = useApp((s) => s.session);
  const { data, error, reload } = useLoad('staff.manage.list', {});
  const add = useChange();
  const row = useChange();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [resetFor, setResetFor] = useState<StaffRecord | null>(null);
  const [resetPin, setResetPin] = useState('');
  const roles: Role[] = me?.role === 'admin' ? ['clerk', 'manager', 'admin'] : ['clerk', 'manager'];

  async function onAdd(e: FormEvent) {
    e.preventDefault();
    const done = await add.run('staff.add', { name, role, pin }, `${name.trim()} added. They choose their own PIN at first sign-in.`);
    if (done) {
      setName('');
      setPin('');
      setRole('clerk');
      await reload();
    }
  }

  async function change<M extends 'staff.setRole' | 'staff.setActive' | 'staff.unlock'>(method: M, input: Parameters<typeof row.run<M>>[1], done: string) {
    if (await row.run(method, input, done)) await reload();
  }

  return (
    <div className="admin-section">
      <h2>Staff</h2>
      {error && <p role="alert" className="panel-error">{error}</p>}
      <table className="admin-table" aria-label="Staff">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {data?.staff.map((s) => (
            <tr key={s.id} className={s.active ? undefined : 'muted'}>
              <th scope="row">{s.name}{s.id === me?.staffId ? ' (you)' : ''}</th>
              <td>
                <label className="visually-hidden" htmlFor={`role-${s.id}`}>Role of {s.name}</label>
                <select id={`role-${s.id}`} value={s.role} disabled={!s.active || row.busy}
                  onChange={(e) => void change('staff.setRole', { id: s.id, expectedVersion: s.version, role: e.target.value as Role }, `${s.name} is now ${ROLE_WORDS[e.target.value as Role].toLowerCase()}.`)}>
                  {(roles.includes(s.role) ? roles : [...roles, s.role]).map((r) => <option key={r} value={r}>{ROLE_WORDS[r]}</option>)}
                </select>
              </td>
              <td>
                {!s.active ? 'Disabled' : s.lockedUntil ? 'Locked (wrong PINs)' : s.mustChangePin ? 'Sets own PIN at next sign-in' : 'Active'}
              </td>
              <td className="row-actions">
                {s.active && s.lockedUntil && (
                  <button type="button" onClick={() => void change('staff.unlock', { id: s.id, expectedVersion: s.version }, `${s.name} is unlocked.`)}>Unlock {s.name}</button>
                )}
                {s.active && <button type="button" onClick={() => { setResetFor(s); setResetPin(''); row.clear(); }}>Reset PIN of {s.name}</button>}
                {s.id !== me?.staffId && (
                  <button type="button" className={s.active ? 'danger-outline' : undefined}
                    onClick={() => void change('staff.setActive', { id: s.id, expectedVersion: s.version, active: !s.active }, s.active ? `${s.name} can no longer sign in.` : `${s.name} can sign in again.`)}>
                    {s.active ? `Disable ${s.name}` : `Enable ${s.name}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="settings-form" aria-label="Add a member of staff" onSubmit={(e) => void onAdd(e)} noValidate>
        <fieldset>
          <legend>Add a member of staff</legend>
          <Field id="staff-name" label="Name" error={errorFor(add.fields, 'name')}>
            {(c) => <input {...c} value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field id="staff-role" label="Role" error={errorFor(add.fields, 'role')}>
            {(c) => (
              <select {...c} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {roles.map((r) => <option key={r} value={r}>{ROLE_WORDS[r]}</option>)}
              </select>
            )}
          </Field>
          <Field id="staff-pin" label="Starting PIN" hint="4 to 8 digits. They replace it with their own at first sign-in." error={errorFor(add.fields, 'pin')}>
            {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />}
          </Field>
          <div className="actions span-all">
            <button type="submit" className="primary" disabled={add.busy}>{add.busy ? 'Adding…' : 'Add member of staff'}</button>
          </div>
        </fieldset>
      </form>

      <ConfirmDialog
        open={resetFor !== null}
        onOpenChange={(o) => { if (!o) setResetFor(null); }}
        title={`Reset the PIN of ${resetFor?.name ?? ''}`}
        description="Give them a temporary PIN. They must choose their own the next time they sign in. A lock is lifted too."
        confirmLabel="Reset PIN"
        busy={row.busy}
        onConfirm={() => {
          if (!resetFor) return;
          void row.run('staff.resetPin', { id: resetFor.id, expectedVersion: resetFor.version, pin: resetPin }, `${resetFor.name} has a temporary PIN.`).then(async (ok) => {
            if (ok) {
              setResetFor(null);
              await reload();
            }
          });
        }}
      >
        {row.error && <p role="alert" className="panel-error">{row.error}</p>}
        <Field id="reset-pin" label="Temporary PIN" error={errorFor(row.fields, 'pin')}>
          {(c) => <input {...c} type="password" inputMode="numeric" autoComplete="off" maxLength={8} autoFocus value={resetPin} onChange={(e) => setResetPin(e.target.value.replace(/\D/g, ''))} />}
        </Field>
      </ConfirmDialog>
    </div>
  );
}
