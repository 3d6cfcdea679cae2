#!/usr/bin/env python3
"""The demo's smtp_sink.py (PYTHONPATH=Demo/Agents.Demo) behind TLS (STARTTLS or implicit) and a required AUTH.

usage: smtp_tls_sink.py HOST PORT MAIL_DIR CERT_PEM KEY_PEM USER PASSWORD [starttls|implicit]
Each .eml also records the login (X-Authenticated-As) and whether TLS was on (X-Tls).
"""
import asyncio, logging, os, ssl, sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from smtp_sink import SaveToDirectory


class SaveWithSession(SaveToDirectory):
    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
        tls = server.transport.get_extra_info('ssl_object') is not None
        extra = f"X-Authenticated-As: {login}\r\nX-Tls: {'yes' if tls else 'no'}\r\n".encode()
        envelope.original_content = extra + (envelope.original_content or envelope.content)
        return await super().handle_DATA(server, session, envelope)


def main():
    host, port, directory, cert, key, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
    implicit = len(sys.argv) > 8 and sys.argv[8] == 'implicit'
    os.makedirs(directory, exist_ok=True)
    # the SMTP conversation, for a failing test to show
    logging.basicConfig(filename=directory.rstrip('/') + '.log', level=logging.DEBUG)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    if implicit:
        # TLS from the first byte: aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls, so that check is off here
        controller = Controller(SaveWithSession(directory), hostname=host, port=port, ssl_context=context,
                                auth_require_tls=False, authenticator=authenticate, auth_required=True, server_hostname="localhost")
    else:
        controller = Controller(SaveWithSession(directory), hostname=host, port=port, tls_context=context, require_starttls=True,
                                auth_require_tls=True, authenticator=authenticate, auth_required=True, server_hostname="localhost")
    controller.start()
    print(f"smtp {'implicit' if implicit else 'starttls'} tls sink listening on {host}:{port}, saving to {directory}", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
