// Command server is the public API of the legacy service.
package main

import (
	"crypto/tls"
	"log"
	"net/http"
)

func main() {
	srv := &http.Server{
		Addr: ":8443",
		TLSConfig: &tls.Config{
			PreferServerCipherSuites: true,
			CipherSuites: []uint16{
				tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
				tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, // for the 2014 kiosk fleet
			},
		},
	}
	log.Fatal(srv.ListenAndServeTLS("server.crt", "server.key"))
}
