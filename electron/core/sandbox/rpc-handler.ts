import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { ACTIONS, type IotContext } from './iot-actions.js';
import {
  businessError,
  failureBody,
  gatewayError,
  isRpcFailure,
  missingParameter,
  requestId,
  rpcBody,
  sendJson,
  type JsonValue,
  type RpcFailure,
} from './responses.js';
import { readRpcCall, type RpcCall, RpcGateway } from './rpc-gateway.js';

const INSTANCE_RE = /^(iot-[\w-]+|iot_instc_[\w-]+)$/;

/** The IoT RPC endpoint (`/`): gateway checks, injected faults, then the action. */
export class RpcHandler {
  private readonly gateway: RpcGateway;

  constructor(
    private readonly ctx: IotContext,
    private readonly faults: Faults,
    credentials: {
      readonly accessKeyId: string;
      readonly accessKeySecret: string;
      readonly securityToken?: string;
    },
  ) {
    this.gateway = new RpcGateway({
      dialect: ctx.dialect,
      ...credentials,
      knownActions: new Set(Object.keys(ACTIONS)),
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const id = requestId();
    const host = req.headers.host ?? 'iot.sandbox.local';
    const call = await readRpcCall(req, url);
    const outcome = isRpcFailure(call) ? call : await this.dispatch(call);
    await this.delay();
    if (res.destroyed) return;
    if (isRpcFailure(outcome)) {
      const body = rpcBody(this.ctx.dialect, failureBody(outcome, id, host));
      sendJson(res, outcome.status, body, outcome.headers);
      return;
    }
    if (outcome.dropResponse) {
      // Injected fault: the package is committed, but the client never hears so.
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, rpcBody(this.ctx.dialect, { RequestId: id, ...outcome.body }));
  }

  private async dispatch(
    call: RpcCall,
  ): Promise<
    RpcFailure | { readonly body: { readonly [k: string]: JsonValue }; readonly dropResponse: boolean }
  > {
    const denied = this.gateway.check(call);
    if (denied) return denied;
    const p = call.params;
    const retryAfterMs = this.faults.takeRpcRetryAfter();
    if (retryAfterMs !== undefined) {
      return {
        ...gatewayError(400, 'Sandbox.Busy', 'The request was refused; retry after x-acs-retry-after ms.'),
        headers: { 'x-acs-retry-after': String(retryAfterMs) },
      };
    }
    const injected = this.faults.takeRpcError();
    if (injected === 'Throttling.User') {
      return gatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.');
    }
    if (injected === 'iot.system.SystemException') {
      return businessError('iot.system.SystemException', 'A system exception occurred. Try again later.');
    }
    const instanceFailure = this.checkInstance(p.IotInstanceId);
    if (instanceFailure) return instanceFailure;
    const action = ACTIONS[p.Action as string];
    if (!action)
      return gatewayError(
        404,
        'InvalidApi.NotFound',
        'Specified api is not found,please check your url and method.',
      );
    for (const name of action.required(this.ctx.dialect)) if (!p[name]) return missingParameter(name);
    const result = await action.run(p, this.ctx);
    if (isRpcFailure(result)) return result;
    const dropResponse = p.Action === 'CreateOTAFirmware' && this.faults.takeCreateDrop();
    return { body: result, dropResponse };
  }

  private checkInstance(instanceId: string | undefined): RpcFailure | undefined {
    if (instanceId === undefined) return undefined;
    if (this.ctx.dialect === 'tuya') {
      return businessError(
        'iot.system.InstanceNotFound',
        'This service has no IoT instances; do not send IotInstanceId.',
      );
    }
    if (!INSTANCE_RE.test(instanceId)) {
      return businessError(
        'iot.system.InstanceNotFound',
        `The specified instance "${instanceId}" does not exist.`,
      );
    }
    return undefined;
  }

  private async delay(): Promise<void> {
    const ms = this.faults.delayMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
