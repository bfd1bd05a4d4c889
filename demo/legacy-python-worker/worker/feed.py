"""Pulls the partner feed over a raw TLS socket."""
import socket
import ssl


def fetch(host, port=443):
    raw = socket.create_connection((host, port))
    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv23)
    ctx.load_default_certs()
    conn = ctx.wrap_socket(raw, server_hostname=host)
    conn.sendall(b"GET /feed HTTP/1.0\r\nHost: " + host.encode() + b"\r\n\r\n")
    return conn.recv(65536)
