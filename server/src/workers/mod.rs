//! Background workers. They only carry out what is already committed in the database.

pub mod deadline_ticker;
pub mod housekeeping;
pub mod mail_sender;
pub mod retention;
pub mod webhook_sender;
