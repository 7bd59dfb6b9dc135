//! TLS for `--mqtt-tls-listen`: a local certificate authority, a server certificate it signs (for `localhost`,
//! `127.0.0.1` and `::1`) and a device certificate (client authentication), generated once with rcgen into
//! `{data-dir}/mqtt-tls/` and reused on every start (with `--in-memory`: generated in memory for the run).
//!
//! Clients trust `ca.pem` (also served at `GET /_emulator/ca.pem`). Client certificates are optional: a client that
//! presents one must present one the local CA signed (`device.pem` + `device.key`, served at `/_emulator/device.pem`
//! and `/_emulator/device.key`); a client that presents none is served too. Certificates and keys are ECDSA P-256;
//! rustls runs on the `ring` provider.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The directory under the data directory that holds the files.
pub const DIR: &str = "mqtt-tls";

/// The files, by name, in [`DIR`].
const FILES: [&str; 6] = [
    "ca.pem",
    "ca.key",
    "server.pem",
    "server.key",
    "device.pem",
    "device.key",
];

/// Why the certificates could not be made, loaded or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError(pub String);

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MQTT TLS: {}", self.0)
    }
}

impl std::error::Error for TlsError {}

fn error(context: &str) -> impl Fn(&dyn fmt::Display) -> TlsError + '_ {
    move |e| TlsError(format!("{context}: {e}"))
}

/// The local CA, the server's certificate and key, and a device certificate and key, in PEM. `Debug` shows no key.
#[derive(Clone, PartialEq, Eq)]
pub struct Pki {
    pub ca_pem: String,
    ca_key_pem: String,
    pub server_pem: String,
    server_key_pem: String,
    pub device_pem: String,
    device_key_pem: String,
    /// Where the files are (`None` when generated in memory).
    pub dir: Option<PathBuf>,
}

impl fmt::Debug for Pki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pki")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Pki {
    /// Fresh certificates, in memory.
    pub fn generate() -> Result<Pki, TlsError> {
        let fail = error("generating the certificates");
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail(&e))?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "jobscope-emulator local CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().map_err(|e| fail(&e))?;
        let ca_pem = ca.self_signed(&ca_key).map_err(|e| fail(&e))?.pem();
        let ca_key_pem = ca_key.serialize_pem();
        let issuer = Issuer::new(ca, ca_key);
        let leaf = |names: Vec<String>,
                    common_name: &str,
                    purpose: ExtendedKeyUsagePurpose|
         -> Result<(String, String), TlsError> {
            let mut params = CertificateParams::new(names).map_err(|e| fail(&e))?;
            params
                .distinguished_name
                .push(DnType::CommonName, common_name);
            params.use_authority_key_identifier_extension = true;
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![purpose];
            let key = KeyPair::generate().map_err(|e| fail(&e))?;
            let cert = params.signed_by(&key, &issuer).map_err(|e| fail(&e))?;
            Ok((cert.pem(), key.serialize_pem()))
        };
        let (server_pem, server_key_pem) = leaf(
            vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
            "localhost",
            ExtendedKeyUsagePurpose::ServerAuth,
        )?;
        let (device_pem, device_key_pem) = leaf(
            Vec::new(),
            "jobscope-device",
            ExtendedKeyUsagePurpose::ClientAuth,
        )?;
        Ok(Pki {
            ca_pem,
            ca_key_pem,
            server_pem,
            server_key_pem,
            device_pem,
            device_key_pem,
            dir: None,
        })
    }

    /// The certificates in `data_dir/mqtt-tls/`: read when all six files are there and usable, else generated and
    /// written (keys readable by the owner only).
    pub fn load_or_create(data_dir: &Path) -> Result<Pki, TlsError> {
        let dir = data_dir.join(DIR);
        if let Some(pki) = Self::load(&dir) {
            return Ok(pki);
        }
        let mut pki = Self::generate()?;
        std::fs::create_dir_all(&dir).map_err(|e| error("creating the directory")(&e))?;
        let contents = [
            &pki.ca_pem,
            &pki.ca_key_pem,
            &pki.server_pem,
            &pki.server_key_pem,
            &pki.device_pem,
            &pki.device_key_pem,
        ];
        for (name, text) in FILES.iter().zip(contents) {
            write_file(&dir.join(name), text, name.ends_with(".key"))
                .map_err(|e| error(name)(&e))?;
        }
        pki.dir = Some(dir);
        Ok(pki)
    }

    fn load(dir: &Path) -> Option<Pki> {
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
        let pki = Pki {
            ca_pem: read("ca.pem")?,
            ca_key_pem: read("ca.key")?,
            server_pem: read("server.pem")?,
            server_key_pem: read("server.key")?,
            device_pem: read("device.pem")?,
            device_key_pem: read("device.key")?,
            dir: Some(dir.to_owned()),
        };
        match pki.server_config() {
            Ok(_) => Some(pki),
            Err(e) => {
                tracing::warn!("{e}; generating new certificates in {}", dir.display());
                None
            }
        }
    }

    /// The device certificate's private key, in PEM (for tests and device samples; a local, throwaway key).
    pub fn device_key_pem(&self) -> &str {
        &self.device_key_pem
    }

    /// The rustls server configuration: the server certificate, client certificates verified against the local CA
    /// when presented (optional), ALPN `x-amzn-mqtt-ca` (as AWS IoT on 443) or `mqtt` when the client offers one.
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let certs = |pem: &str, what: &str| {
            CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| error(what)(&e))
        };
        let chain = certs(&self.server_pem, "server.pem")?;
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes())
            .map_err(|e| error("server.key")(&e))?;
        let mut roots = rustls::RootCertStore::empty();
        for ca in certs(&self.ca_pem, "ca.pem")? {
            roots.add(ca).map_err(|e| error("ca.pem")(&e))?;
        }
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .allow_unauthenticated()
        .build()
        .map_err(|e| error("the client certificate verifier")(&e))?;
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| error("the TLS versions")(&e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .map_err(|e| error("the server certificate")(&e))?;
        config.alpn_protocols = vec![b"x-amzn-mqtt-ca".to_vec(), b"mqtt".to_vec()];
        Ok(Arc::new(config))
    }
}

fn write_file(path: &Path, text: &str, private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused() {
        let dir = std::env::temp_dir().join(format!("jobscope-mqtt-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = Pki::load_or_create(&dir).unwrap();
        assert!(first.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(first.server_config().is_ok());
        let again = Pki::load_or_create(&dir).unwrap();
        assert_eq!(first, again, "the files are reused");
        assert!(!format!("{first:?}").contains("PRIVATE KEY"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(DIR).join("ca.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "keys are the owner's only");
        }
        // A damaged file: everything is made anew.
        std::fs::write(dir.join(DIR).join("server.key"), "junk").unwrap();
        let fresh = Pki::load_or_create(&dir).unwrap();
        assert_ne!(fresh.ca_pem, first.ca_pem);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
