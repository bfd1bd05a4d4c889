// Package partner talks to the payment partner's API.
package partner

import (
	"crypto/tls"
	"net/http"
	"time"
)

// The partner's gateway only spoke TLS 1.0 when this was written.
const partnerFloor = tls.VersionTLS10

// NewClient returns the HTTP client used for partner calls.
func NewClient(insecure bool) *http.Client {
	cfg := &tls.Config{MinVersion: partnerFloor}
	if insecure {
		cfg.InsecureSkipVerify = true
	}
	return &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: cfg},
	}
}

// NewHealthClient checks the partner's status page.
func NewHealthClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}
}
