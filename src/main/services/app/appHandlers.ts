import type { AppInfo } from '../../../shared/contract/app';
import type { PartialHandlerTable } from '../../core/handlers';
import type { SessionStore } from '../../core/session';
import type { StatusMonitor } from './statusMonitor';

export function appHandlers(deps: { info: () => AppInfo; status: StatusMonitor; session: SessionStore }): PartialHandlerTable {
  return {
    'app.info': () => deps.info(),
    'app.status': () => deps.status.current(),
    'session.current': () => deps.session.current(),
  };
}
