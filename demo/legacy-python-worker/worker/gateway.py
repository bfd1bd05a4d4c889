"""Client for the payment gateway (it required TLS 1.0 in 2014)."""
import ssl

import requests
from requests.adapters import HTTPAdapter
from requests.packages.urllib3.poolmanager import PoolManager

GATEWAY = "https://gateway.example.com/v1/"


class Tls1Adapter(HTTPAdapter):
    def init_poolmanager(self, connections, maxsize, block=False):
        self.poolmanager = PoolManager(num_pools=connections, maxsize=maxsize, block=block, ssl_version=ssl.PROTOCOL_TLSv1)


def session():
    s = requests.Session()
    s.mount("https://", Tls1Adapter())
    return s


def charge(order):
    return session().post(GATEWAY + "charges", json=order, timeout=30)


def refund(charge_id):
    # the sandbox has a self-signed certificate
    return requests.post(GATEWAY + "refunds", json={"charge": charge_id}, verify=False)
