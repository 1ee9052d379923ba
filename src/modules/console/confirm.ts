import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { pageContext } from './page-context.js';

export interface ConfirmOptions {
  tenant?: Tenant | null;
  /** The navigation entry that stays highlighted. */
  active?: string;
  title: string;
  /** One sentence: what OK does. */
  question: string;
  /** What goes with it, one line each (from the impact endpoints); empty when nothing does. */
  impact?: string[];
  /** A warning shown above the buttons, e.g. "a deleted number may not be added back". */
  warning?: string;
  /** Where OK posts (with the CSRF token and `hidden`). */
  action: string;
  hidden?: Record<string, string | string[]>;
  okLabel?: string;
  /** Where Cancel (and Esc) goes when the confirmation is a page of its own. */
  cancelHref: string;
}

/**
 * A delete's confirmation, as the portals have it (OK or Cancel, Enter confirms, Esc cancels) plus
 * what goes with it. Asked by htmx (`hx-get` on the delete control, `hx-target="body"`,
 * `hx-swap="beforeend"`) it is a modal <dialog> fragment that console.js opens; opened without
 * htmx it is a page of its own, so the flow works without script too.
 */
export function renderConfirm(request: FastifyRequest, reply: FastifyReply, options: ConfirmOptions): FastifyReply {
  const hidden = Object.entries(options.hidden ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one) => ({ name, value: one })),
  );
  const confirm = {
    ...options,
    impact: options.impact ?? [],
    hidden,
    okLabel: options.okLabel ?? 'OK',
    tenant: undefined,
  };
  const context = pageContext(request, reply, { tenant: options.tenant, active: options.active, title: options.title });
  const fragment = request.headers['hx-request'] === 'true';
  return reply.view(fragment ? 'console/views/confirm-dialog' : 'console/views/confirm-page', {
    ...context,
    confirm,
    page: !fragment,
  });
}
