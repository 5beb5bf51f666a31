//! The only module that knows IndexedDB. The UI calls the typed [`Db`] API; no rexie or idb
//! type crosses this boundary.
//!
//! Rules kept here:
//! - one transaction per logical change, its outcome checked (`done()` must report a commit);
//! - inside a transaction nothing is awaited but IndexedDB requests (any other await lets the
//!   browser commit early), so values are serialised before the transaction opens;
//! - bulk reads and writes (`get_all` in pages, many puts in one transaction), never one
//!   transaction per record in a loop.

mod codec;
pub mod db;
mod drafts;
mod exchange;
mod listed;
mod lock;
mod photos;
mod repo;
mod review;
pub mod seal;
pub mod unreadable;
pub mod web;

pub use db::{store_of, Db, DB_NAME, SCHEMA_VERSION};
pub use exchange::{Export, ExportMark, ImportedPhoto};
pub use listed::Sealed;
pub use photos::NewPhoto;
pub use repo::{author, set_author, Kind};

/// Failures at the storage boundary, worded for the person holding the phone.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    #[error("无法打开本机数据库：{0}")]
    Open(String),
    #[error("手机存储空间不足，这次修改没有保存，已有数据未受影响。请导出数据并清理空间后重试。")]
    QuotaExceeded,
    #[error("记录编号重复，这批数据没有保存，已有数据未受影响。")]
    DuplicateId,
    #[error("保存失败，已有数据未受影响：{0}")]
    Write(String),
    #[error("读取本机数据失败：{0}")]
    Read(String),
    #[error("本机数据中有一条记录无法读取（{store}）：{detail}")]
    Corrupt { store: &'static str, detail: String },
    #[error("找不到这条记录，可能已被删除。")]
    NotFound,
    #[error("本机数据库已被关闭（可能在另一个标签页升级了桑榆，或被浏览器清除），这次没有保存。请先把刚填写的内容记下，再刷新本页。")]
    Closed,
    /// A file that parsed but cannot be merged here (`sync::PlanError` says why and where).
    #[error("{0}")]
    Refused(#[from] crate::sync::PlanError),
}

/// The DOM exception behind a failed request, as the browser writes it ("QuotaExceededError:
/// ..."), which `StorageError::write` sorts by. rexie's own `Display` is just "idb error", and
/// idb's is a sentence per variant around the same text: its fifty sentences were ~0.7 KB of
/// the first load, so the exception is taken out here, and idb's errors (a key range's too)
/// are never formatted with their own `Display`.
fn describe(e: &rexie::Error) -> String {
    use idb::Error as E;
    let exception: &wasm_bindgen::JsValue = match e {
        rexie::Error::IdbError(
            E::AddFailed(v)
            | E::ClearFailed(v)
            | E::CountFailed(v)
            | E::CursorAdvanceFailed(v)
            | E::CursorContinueFailed(v)
            | E::CursorKeyNotFound(v)
            | E::CursorPrimaryKeyNotFound(v)
            | E::CursorValueNotFound(v)
            | E::DeleteFailed(v)
            | E::GetAllFailed(v)
            | E::GetAllKeysFailed(v)
            | E::GetFailed(v)
            | E::GetKeyFailed(v)
            | E::IndexCreateFailed(v)
            | E::IndexDeleteFailed(v)
            | E::IndexedDbDeleteFailed(v)
            | E::IndexedDbNotFound(v)
            | E::IndexedDbOpenFailed(v)
            | E::IndexNotFound(v)
            | E::KeyPathNotFound(v)
            | E::KeyRangeBoundNotFound(v)
            | E::KeyRangeCreateFailed(v)
            | E::KeyRangeIncludesFailed(v)
            | E::ObjectStoreCreateFailed(v)
            | E::ObjectStoreDeleteFailed(v)
            | E::ObjectStoreNotFound(v)
            | E::OpenCursorFailed(v)
            | E::OpenKeyCursorFailed(v)
            | E::RequestErrorNotFound(v)
            | E::RequestResultNotFound(v)
            | E::TransactionAbortError(v)
            | E::TransactionCommitError(v)
            | E::TransactionModeNotFound(v)
            | E::TransactionOpenFailed(v)
            | E::UnexpectedJsType(_, v)
            | E::UpdateFailed(v),
        ) => v,
        rexie::Error::IdbError(E::DomException(v)) => v.as_ref(),
        // A cursor, key path or mode idb itself found wrong: nothing from the browser to show.
        _ => return "IndexedDB 内部错误".into(),
    };
    if exception.is_undefined() || exception.is_null() {
        return "IndexedDB 没有给出原因".into();
    }
    js_sys::Object::from(exception.clone()).to_string().into()
}

impl StorageError {
    /// Sorts a failed write by the DOM exception behind it.
    fn write(e: rexie::Error) -> StorageError {
        let text = describe(&e);
        if text.contains("QuotaExceeded") {
            StorageError::QuotaExceeded
        } else if text.contains("InvalidStateError") {
            StorageError::Closed
        } else if text.contains("ConstraintError") {
            StorageError::DuplicateId
        } else {
            StorageError::Write(text)
        }
    }

    fn read(e: rexie::Error) -> StorageError {
        let text = describe(&e);
        if text.contains("InvalidStateError") {
            StorageError::Closed
        } else {
            StorageError::Read(text)
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;
