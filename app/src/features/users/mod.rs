//! Admin: users (add, change role, disable, reset password).

#[cfg(feature = "ssr")]
use crate::{backend, domain::permissions::Operation};
use crate::{
    components::{action_error, field_error, loaded, FormAlert, TextField},
    domain::{accounts::UserSummary, permissions::UserRole},
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
fn parse_role(role: &str) -> Result<UserRole, AppError> {
    UserRole::parse(role)
        .ok_or_else(|| AppError::field("role", "Choose developer, manager or admin."))
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    let (state, caller) = backend::context(Operation::ManageUsers).await?;
    backend::ops::accounts::list_users(&state, &caller).await
}

#[server(prefix = "/api", endpoint = "add_user")]
pub async fn add_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<UserSummary, AppError> {
    let (state, caller) = backend::context(Operation::ManageUsers).await?;
    let new_user = crate::domain::accounts::NewUser {
        username,
        display_name,
        role: parse_role(&role)?,
        password,
    };
    backend::ops::accounts::add_user(&state, &caller, new_user).await
}

#[server(prefix = "/api", endpoint = "change_user_role")]
pub async fn change_user_role(user_id: i64, role: String) -> Result<UserSummary, AppError> {
    let (state, caller) = backend::context(Operation::ManageUsers).await?;
    backend::ops::accounts::change_role(&state, &caller, user_id, parse_role(&role)?).await
}

#[server(prefix = "/api", endpoint = "set_user_disabled")]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<UserSummary, AppError> {
    let (state, caller) = backend::context(Operation::ManageUsers).await?;
    backend::ops::accounts::set_disabled(&state, &caller, user_id, disabled).await
}

#[server(prefix = "/api", endpoint = "reset_user_password")]
pub async fn reset_user_password(user_id: i64, password: String) -> Result<(), AppError> {
    let (state, caller) = backend::context(Operation::ManageUsers).await?;
    backend::ops::accounts::reset_password(&state, &caller, user_id, &password).await
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let change_role = ServerAction::<ChangeUserRole>::new();
    let disable = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(
        move || {
            (
                add.version().get(),
                change_role.version().get(),
                disable.version().get(),
            )
        },
        |_| list_users(),
    );
    let row_error = Signal::derive(move || {
        change_role
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| disable.value().get().and_then(Result::err))
            .or_else(|| reset.value().get().and_then(Result::err))
    });
    let reset_done = Signal::derive(move || {
        matches!(reset.value().get(), Some(Ok(()))).then(|| "The password was reset.".to_string())
    });
    view! {
        <Title text="Users"/>
        <h1>"Users"</h1>
        <FormAlert error=row_error success=reset_done/>
        <div class="columns">
            <section class="panel" aria-labelledby="users-title">
                <h2 id="users-title">"Everyone who can sign in"</h2>
                <Transition fallback=|| view! { <p>"Loading users…"</p> }>
                    {move || Suspend::new(async move {
                        loaded(users.await, |list| view! {
                            <UserTable users=list change_role disable reset/>
                        })
                    })}
                </Transition>
            </section>
            <AddUserForm action=add/>
        </div>
    }
}

#[component]
fn RoleSelect(selected: UserRole) -> impl IntoView {
    view! {
        <select name="role" aria-label="Role">
            {UserRole::ALL.into_iter().map(|r| view! {
                <option value=r.as_str() selected=r == selected>{r.as_str()}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn UserTable(
    users: Vec<UserSummary>,
    change_role: ServerAction<ChangeUserRole>,
    disable: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetUserPassword>,
) -> impl IntoView {
    view! {
        <table class="table" data-testid="users">
            <thead>
                <tr>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Password"</th>
                </tr>
            </thead>
            <tbody>
                {users.into_iter().map(|u| {
                    let (role_id, disable_id, reset_id) = (u.id.to_string(), u.id.to_string(), u.id.to_string());
                    let reset_label = format!("New password for {}", u.username);
                    view! {
                        <tr data-username=u.username.clone()>
                            <td class="mono">{u.username.clone()}</td>
                            <td>{u.display_name.clone()}</td>
                            <td>
                                <ActionForm action=change_role attr:class="inline">
                                    <input type="hidden" name="user_id" value=role_id/>
                                    <RoleSelect selected=u.role/>
                                    <button type="submit">"Change role"</button>
                                </ActionForm>
                            </td>
                            <td>
                                <ActionForm action=disable attr:class="inline">
                                    <input type="hidden" name="user_id" value=disable_id/>
                                    <input type="hidden" name="disabled" value=(!u.disabled).to_string()/>
                                    <span class=if u.disabled { "badge badge-failed" } else { "badge badge-succeeded" }>
                                        {if u.disabled { "disabled" } else { "active" }}
                                    </span>
                                    " "
                                    <button type="submit">{if u.disabled { "Enable" } else { "Disable" }}</button>
                                </ActionForm>
                            </td>
                            <td>
                                <ActionForm action=reset attr:class="inline">
                                    <input type="hidden" name="user_id" value=reset_id/>
                                    <input type="password" name="password" aria-label=reset_label autocomplete="new-password" placeholder="new password"/>
                                    <button type="submit">"Reset"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AddUserForm(action: ServerAction<AddUser>) -> impl IntoView {
    let value = action.value();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let success = Signal::derive(move || {
        value
            .get()
            .and_then(Result::ok)
            .map(|u| format!("{} was added as {}.", u.username, u.role))
    });
    view! {
        <section class="panel" aria-labelledby="add-user-title">
            <h2 id="add-user-title">"Add a user"</h2>
            <ActionForm action=action>
                <TextField label="Username" name="username" value=username error=field_error(value, "username")/>
                <TextField label="Display name" name="display_name" value=display_name error=field_error(value, "displayName")/>
                <div class="field">
                    <label for="new-user-role">"Role"</label>
                    <select id="new-user-role" name="role">
                        {UserRole::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.as_str()}</option> }).collect_view()}
                    </select>
                </div>
                <TextField label="Password" name="password" value=password error=field_error(value, "password") input_type="password" autocomplete="new-password" hint="At least 12 characters."/>
                <button type="submit" class="primary">"Add user"</button>
            </ActionForm>
            <FormAlert error=action_error(value) success/>
        </section>
    }
}
