//! The SMTP password, kept out of the database: in the OS keyring (Keychain, Windows Credential
//! Manager, Secret Service) when there is one, else in a file only the user can read (0600) in
//! Rolodeck's config dir. The file is the fallback for Linux without a Secret Service (headless
//! boxes, CI, minimal desktops); `ROLODECK_SMTP_PASSWORD` overrides both, for scripts.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::MailError;
use crate::Result;

/// A password given here is used instead of any saved one.
pub const PASSWORD_ENV: &str = "ROLODECK_SMTP_PASSWORD";
/// `file` skips the keyring even where there is one (tests, or a user who prefers the file).
pub const STORE_ENV: &str = "ROLODECK_PASSWORD_STORE";

const KEYRING_SERVICE: &str = "rolodeck-smtp";

/// A password that never prints: its Debug output is a placeholder, so a stray `{:?}` in a log
/// or an error cannot show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Where a password was found or saved, to tell the user (never the password itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PasswordLocation {
    Environment,
    Keyring,
    File { path: PathBuf },
}

impl fmt::Display for PasswordLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordLocation::Environment => write!(f, "the environment variable {PASSWORD_ENV}"),
            PasswordLocation::Keyring => f.write_str("the system keyring"),
            PasswordLocation::File { path } => write!(f, "{} (readable only by you)", path.display()),
        }
    }
}

/// Saves, finds and forgets SMTP passwords by account (`user@host`).
#[derive(Debug, Clone)]
pub struct PasswordStore {
    use_keyring: bool,
    dir: PathBuf,
    from_env: Option<Password>,
}

impl PasswordStore {
    /// The store the app and the CLI use: `ROLODECK_SMTP_PASSWORD` first, then the keyring
    /// (unless `ROLODECK_PASSWORD_STORE=file`), then the file in the config dir
    /// (`~/.config/rolodeck` on Linux, which follows `XDG_CONFIG_HOME`).
    pub fn from_env() -> PasswordStore {
        let dir = directories::ProjectDirs::from("", "", "rolodeck")
            .map_or_else(|| PathBuf::from("."), |d| d.config_dir().to_path_buf());
        PasswordStore {
            use_keyring: std::env::var(STORE_ENV).map_or(true, |v| v != "file"),
            dir,
            from_env: std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()).map(Password),
        }
    }

    /// A store that keeps passwords only in files under `dir`.
    pub fn files_in(dir: impl Into<PathBuf>) -> PasswordStore {
        PasswordStore { use_keyring: false, dir: dir.into(), from_env: None }
    }

    /// Saves the password in the keyring, or in the file when this machine has no keyring.
    pub fn save(&self, account: &str, password: &Password) -> Result<PasswordLocation> {
        if self.use_keyring {
            match keyring_entry(account).and_then(|e| e.set_password(password.expose())) {
                Ok(()) => {
                    // One copy only: an older fallback file would otherwise outlive a change.
                    remove_if_present(&self.file(account))?;
                    return Ok(PasswordLocation::Keyring);
                }
                Err(err) if keyring_absent(&err) => {}
                Err(err) => return Err(keyring_error(&err).into()),
            }
        }
        let path = self.file(account);
        write_private(&self.dir, &path, password.expose())?;
        Ok(PasswordLocation::File { path })
    }

    /// The password for `account` and where it came from, or `None` if none is saved.
    pub fn load(&self, account: &str) -> Result<Option<(Password, PasswordLocation)>> {
        if let Some(password) = &self.from_env {
            return Ok(Some((password.clone(), PasswordLocation::Environment)));
        }
        if self.use_keyring {
            match keyring_entry(account).and_then(|e| e.get_password()) {
                Ok(password) => return Ok(Some((Password(password), PasswordLocation::Keyring))),
                Err(keyring::Error::NoEntry) => {}
                Err(err) if keyring_absent(&err) => {}
                Err(err) => return Err(keyring_error(&err).into()),
            }
        }
        let path = self.file(account);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                Ok(Some((Password(text.trim_end_matches(['\r', '\n']).to_string()), PasswordLocation::File { path })))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(with_path(err, "read", &path).into()),
        }
    }

    /// Removes the saved password from the keyring and the file.
    pub fn forget(&self, account: &str) -> Result<()> {
        if self.use_keyring {
            match keyring_entry(account).and_then(|e| e.delete_credential()) {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(err) if keyring_absent(&err) => {}
                Err(err) => return Err(keyring_error(&err).into()),
            }
        }
        remove_if_present(&self.file(account))
    }

    /// `smtp-ann@example.com@smtp.example.com.password`, with anything unusual in the account
    /// replaced so it is always one plain file name.
    fn file(&self, account: &str) -> PathBuf {
        let safe: String =
            account.chars().map(|c| if c.is_ascii_alphanumeric() || "@._-".contains(c) { c } else { '_' }).collect();
        self.dir.join(format!("smtp-{safe}.password"))
    }
}

fn keyring_entry(account: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, account)
}

/// Whether the error means "this machine has no keyring" (use the file) rather than "the
/// keyring said no" (locked, access refused: tell the user instead of quietly using a file).
fn keyring_absent(err: &keyring::Error) -> bool {
    matches!(
        err,
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) | keyring::Error::NotSupportedByStore(_)
    )
}

fn keyring_error(err: &keyring::Error) -> MailError {
    let detail = match err {
        keyring::Error::NoStorageAccess(e) => format!("is locked or refused access ({e})"),
        other => format!("failed ({other})"),
    };
    MailError::Keyring { detail }
}

/// Writes `text` to `path` so that only the user can read it, atomically: the file is created
/// 0600 under a temporary name and renamed over any older one.
fn write_private(dir: &Path, path: &Path, text: &str) -> Result<()> {
    create_private_dir(dir).map_err(|e| with_path(e, "create", dir))?;
    let temporary = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    };
    write().map_err(|e| with_path(e, "write", path).into())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(with_path(err, "remove", path).into()),
        _ => Ok(()),
    }
}

fn with_path(err: std::io::Error, verb: &str, path: &Path) -> std::io::Error {
    std::io::Error::new(err.kind(), format!("could not {verb} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_file_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = PasswordStore::files_in(dir.path().join("config"));
        let password = Password::new("s3cret pass");
        let location = store.save("ann@smtp.example.com", &password).unwrap();
        let PasswordLocation::File { path } = &location else { panic!("{location:?}") };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(dir.path().join("config")).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(store.load("ann@smtp.example.com").unwrap(), Some((password, location)));
        assert_eq!(store.load("bo@smtp.example.com").unwrap(), None, "another account has no password");
        store.forget("ann@smtp.example.com").unwrap();
        assert_eq!(store.load("ann@smtp.example.com").unwrap(), None);
    }

    #[test]
    fn an_odd_account_is_still_one_file_in_the_dir() {
        let store = PasswordStore::files_in("/config");
        assert_eq!(store.file("../../etc/x y@h"), PathBuf::from("/config/smtp-.._.._etc_x_y@h.password"));
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let shown = format!("{:?}", Some(Password::new("hunter2")));
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn only_a_missing_keyring_falls_back_to_the_file() {
        assert!(keyring_absent(&keyring::Error::NoDefaultStore));
        assert!(!keyring_absent(&keyring::Error::NoStorageAccess("locked".into())));
        assert!(keyring_error(&keyring::Error::NoStorageAccess("locked".into())).to_string().contains("is locked"));
    }
}
