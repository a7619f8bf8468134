// Names of sync states and errors, as logs and `feedback-kiosk status` print them.
#include "sync/uploader/sync_status.hpp"

namespace fk::uploader {

const char* to_string(SyncError error) {
  switch (error) {
    case SyncError::None:
      return "none";
    case SyncError::NotConfigured:
      return "not_configured";
    case SyncError::Offline:
      return "offline";
    case SyncError::NotAuthorised:
      return "not_authorised";
    case SyncError::Rejected:
      return "rejected";
    case SyncError::LocalStore:
      return "local_store";
    case SyncError::Cancelled:
      return "cancelled";
  }
  return "none";
}

const char* to_string(SyncState state) {
  switch (state) {
    case SyncState::NotConfigured:
      return "not_configured";
    case SyncState::Idle:
      return "idle";
    case SyncState::Sending:
      return "sending";
    case SyncState::Offline:
      return "offline";
    case SyncState::NotAuthorised:
      return "not_authorised";
  }
  return "not_configured";
}

}  // namespace fk::uploader
