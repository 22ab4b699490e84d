/**
 * The fake Terminal JS SDK that `GET /terminal-js/v1` serves: a plain browser script (ES2017, no
 * modules) defining `window.StripeTerminal` with the surface of @stripe/terminal-js 0.26 that a
 * simulated-reader payment uses. Every method resolves to what the real SDK resolves to
 * (`{ discoveredReaders }`, `{ reader }`, `{ paymentIntent }`, `{}`) or to `{ error: { code, message } }`;
 * none rejects. It calls the emulator that served it (or `simulatorBaseUrl`) with a session got by
 * redeeming the connection token from `onFetchConnectionToken` once.
 *
 * Kept as text, not compiled code, so the emulator serves the same bytes in tests and in the
 * bundled app. No template literals inside (this is one).
 */
export const TERMINAL_JS_SOURCE = String.raw`/* Keydesk Stripe emulator: fake Terminal JS SDK (simulated reader only). */
(function () {
  'use strict';
  var current = typeof document !== 'undefined' ? document.currentScript : null;
  var scriptBase = current && current.src ? new URL(current.src).origin : '';

  var PaymentStatus = { NOT_READY: 'not_ready', READY: 'ready', WAITING_FOR_INPUT: 'waiting_for_input', PROCESSING: 'processing' };
  var ConnectionStatus = { CONNECTING: 'connecting', CONNECTED: 'connected', NOT_CONNECTED: 'not_connected' };
  var OutputLogLevel = { NONE: 'none', VERBOSE: 'verbose' };

  function failure(code, message, extra) {
    var error = { code: code, message: message };
    if (extra) for (var k in extra) if (Object.prototype.hasOwnProperty.call(extra, k)) error[k] = extra[k];
    return { error: error };
  }

  function create(props) {
    if (!props || typeof props.onFetchConnectionToken !== 'function') {
      throw new Error('StripeTerminal.create needs onFetchConnectionToken.');
    }
    var base = String(props.simulatorBaseUrl || scriptBase).replace(/\/+$/, '');
    var session = null;
    var reader = null;
    var connectionStatus = ConnectionStatus.NOT_CONNECTED;
    var paymentStatus = PaymentStatus.NOT_READY;
    var simulator = {};
    var collecting = null;

    function setConnection(status) {
      if (status === connectionStatus) return;
      connectionStatus = status;
      if (typeof props.onConnectionStatusChange === 'function') props.onConnectionStatusChange({ status: status });
    }
    function setPayment(status) {
      if (status === paymentStatus) return;
      paymentStatus = status;
      if (typeof props.onPaymentStatusChange === 'function') props.onPaymentStatusChange({ status: status });
    }
    function lostReader(error) {
      if (!reader) return;
      reader = null;
      setConnection(ConnectionStatus.NOT_CONNECTED);
      setPayment(PaymentStatus.NOT_READY);
      if (typeof props.onUnexpectedReaderDisconnect === 'function') props.onUnexpectedReaderDisconnect({ error: error });
    }

    async function post(action, bearer, body) {
      var res;
      try {
        res = await fetch(base + '/terminal-js/v1/' + action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + bearer },
          body: JSON.stringify(body || {}),
        });
      } catch (e) {
        return failure('network_error', 'Could not reach the Stripe emulator: ' + (e && e.message ? e.message : String(e)));
      }
      var data;
      try {
        data = await res.json();
      } catch (e) {
        return failure('network_error', 'The Stripe emulator answered ' + res.status + ' without JSON.');
      }
      if (!res.ok && !(data && data.error)) return failure('network_error', 'The Stripe emulator answered ' + res.status + '.');
      return data;
    }

    async function activate() {
      if (session) return null;
      var token;
      try {
        token = await props.onFetchConnectionToken();
      } catch (e) {
        return failure('failed_fetch_connection_token', 'onFetchConnectionToken failed: ' + (e && e.message ? e.message : String(e)));
      }
      if (typeof token !== 'string' || token === '') return failure('failed_fetch_connection_token', 'onFetchConnectionToken returned no connection token.');
      var res = await post('activate', token, {});
      if (res.error) return res;
      session = { id: res.session, location: res.location };
      return null;
    }

    async function call(action, body) {
      var failed = await activate();
      if (failed) return failed;
      var res = await post(action, session.id, body);
      if (res.error && res.error.code === 'session_expired') {
        session = null;
        lostReader(res.error);
        failed = await activate();
        if (failed) return failed;
        res = await post(action, session.id, body);
      }
      if (res.error && res.error.code === 'no_established_connection') lostReader(res.error);
      return res;
    }

    function unsupported(name) {
      return function () {
        return Promise.resolve(failure('unsupported', name + ' is not implemented by the Stripe emulator\'s Terminal SDK.'));
      };
    }

    var terminal = {
      getConnectionStatus: function () { return connectionStatus; },
      getPaymentStatus: function () { return paymentStatus; },
      getConnectedReader: function () { return reader; },
      discoverReaders: async function (config) {
        config = config || {};
        var res = await call('discover', { simulated: config.simulated === true, location: config.location, device_type: config.device_type });
        if (res.error) return res;
        return { discoveredReaders: res.discoveredReaders };
      },
      connectReader: async function (r, options) {
        if (reader) return failure('already_connected', 'Already connected to a reader. Disconnect first.');
        if (!r || typeof r.id !== 'string') return failure('reader_connection_error', 'connectReader needs a reader from discoverReaders.');
        setConnection(ConnectionStatus.CONNECTING);
        var res = await call('connect', { reader: r.id, fail_if_in_use: !!(options && options.fail_if_in_use) });
        if (res.error) {
          setConnection(ConnectionStatus.NOT_CONNECTED);
          return res;
        }
        reader = res.reader;
        setConnection(ConnectionStatus.CONNECTED);
        setPayment(PaymentStatus.READY);
        return { reader: reader };
      },
      disconnectReader: async function () {
        if (session && reader) await post('disconnect', session.id, {});
        reader = null;
        setConnection(ConnectionStatus.NOT_CONNECTED);
        setPayment(PaymentStatus.NOT_READY);
        return {};
      },
      clearCachedCredentials: async function () {
        if (session && reader) await post('disconnect', session.id, {});
        session = null;
        reader = null;
        setConnection(ConnectionStatus.NOT_CONNECTED);
        setPayment(PaymentStatus.NOT_READY);
        return {};
      },
      setSimulatorConfiguration: function (config) {
        simulator = {};
        if (config) for (var k in config) if (Object.prototype.hasOwnProperty.call(config, k)) simulator[k] = config[k];
      },
      getSimulatorConfiguration: function () {
        var copy = {};
        for (var k in simulator) copy[k] = simulator[k];
        return copy;
      },
      collectPaymentMethod: async function (clientSecret, options) {
        if (!reader) return failure('no_established_connection', 'No reader is connected: connect to a reader first.');
        if (collecting) return failure('command_already_in_progress', 'A collectPaymentMethod is already in progress.');
        if (typeof clientSecret !== 'string' || clientSecret === '') return failure('invalid_request', 'collectPaymentMethod needs the PaymentIntent client_secret.');
        var attempt = { canceled: false };
        collecting = attempt;
        setPayment(PaymentStatus.WAITING_FOR_INPUT);
        // The customer "taps" on the next turn of the event loop, so a cancel made right away wins.
        await new Promise(function (resolve) { setTimeout(resolve, 0); });
        var res = attempt.canceled ? null : await call('collect', { client_secret: clientSecret, simulator: simulator, options: options || null });
        if (attempt.canceled && res && !res.error) await post('cancel_collect', session.id, {});
        collecting = null;
        if (reader) setPayment(PaymentStatus.READY);
        if (attempt.canceled) return failure('canceled', 'The collection of a payment method was canceled.');
        if (res.error) return res;
        return { paymentIntent: res.paymentIntent };
      },
      cancelCollectPaymentMethod: async function () {
        if (collecting) {
          collecting.canceled = true;
          return {};
        }
        if (!session) return {};
        var res = await post('cancel_collect', session.id, {});
        return res.error ? res : {};
      },
      processPayment: async function (paymentIntent, options) {
        if (!reader) return failure('no_established_connection', 'No reader is connected: connect to a reader first.');
        if (!paymentIntent || typeof paymentIntent.id !== 'string') return failure('invalid_request', 'processPayment needs the paymentIntent that collectPaymentMethod returned.');
        setPayment(PaymentStatus.PROCESSING);
        var res = await call('process', { payment_intent: paymentIntent.id, options: options || null });
        if (reader) setPayment(PaymentStatus.READY);
        if (res.error) return res;
        return { paymentIntent: res.paymentIntent };
      },
      cancelProcessPayment: async function () {
        return {};
      },
      setReaderDisplay: async function (request) {
        var res = await call('display', { display: request || null });
        return res.error ? res : {};
      },
      clearReaderDisplay: async function () {
        var res = await call('display', { clear: true });
        return res.error ? res : {};
      },
      overrideBaseURL: function (url) {
        base = String(url).replace(/\/+$/, '');
      },
      collectRefundPaymentMethod: unsupported('collectRefundPaymentMethod'),
      processRefund: unsupported('processRefund'),
      cancelCollectRefundPaymentMethod: unsupported('cancelCollectRefundPaymentMethod'),
      collectSetupIntentPaymentMethod: unsupported('collectSetupIntentPaymentMethod'),
      confirmSetupIntent: unsupported('confirmSetupIntent'),
      collectInputs: unsupported('collectInputs'),
      cancelCollectInputs: unsupported('cancelCollectInputs'),
      readReusableCard: unsupported('readReusableCard'),
      print: unsupported('print'),
    };
    return terminal;
  }

  window.StripeTerminal = { create: create, PaymentStatus: PaymentStatus, ConnectionStatus: ConnectionStatus, OutputLogLevel: OutputLogLevel, emulator: true };
})();
`;
