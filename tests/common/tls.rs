//! Real TLS for the test SMTP server (smtp.rs): a throwaway certificate authority made at test
//! time, a server certificate it signs for 127.0.0.1 and localhost, and the server's side of the
//! handshake with rustls (ring), as `smtp::Handshake`. The CA's PEM file is what a sender is
//! told to trust, through `SSL_CERT_FILE`.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::smtp::{Handshake, TlsMode, Wire};

/// How long a client may take over its side of the handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

pub struct TestCa {
    /// The CA certificate, PEM: trust this to trust the server.
    pem: String,
    server: Arc<ServerConfig>,
}

impl TestCa {
    /// A new CA named `name`, and a server certificate signed by it.
    pub fn new(name: &str) -> TestCa {
        let mut ca = CertificateParams::new(Vec::new()).unwrap();
        ca.distinguished_name.push(DnType::CommonName, name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();

        let mut leaf = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        leaf.distinguished_name.push(DnType::CommonName, "test.local");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = leaf.signed_by(&leaf_key, &ca).unwrap();

        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let server = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
            .unwrap();
        TestCa { pem: ca.pem(), server: Arc::new(server) }
    }

    /// Writes the CA certificate to `path`, for `SSL_CERT_FILE`.
    pub fn write_pem(&self, path: &Path) {
        std::fs::write(path, &self.pem).unwrap();
    }

    /// The server offers STARTTLS with this CA's certificate.
    pub fn starttls(&self) -> TlsMode {
        TlsMode::Starttls(self.handshake())
    }

    /// The server speaks TLS from the first byte with this CA's certificate.
    pub fn implicit(&self) -> TlsMode {
        TlsMode::Implicit(self.handshake())
    }

    fn handshake(&self) -> Handshake {
        let config = self.server.clone();
        Arc::new(move |mut socket: TcpStream| {
            let mut tls = ServerConnection::new(config.clone()).map_err(std::io::Error::other)?;
            // The session polls with short read timeouts; the handshake waits for the client.
            let polling = socket.read_timeout()?;
            socket.set_read_timeout(Some(HANDSHAKE_LIMIT))?;
            while tls.is_handshaking() {
                tls.complete_io(&mut socket)?;
            }
            socket.set_read_timeout(polling)?;
            Ok(Box::new(StreamOwned::new(tls, socket)) as Box<dyn Wire>)
        })
    }
}
