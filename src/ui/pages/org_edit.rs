//! Add or edit an organisation; the form shows the fields its kind uses.

use crate::ui::router::{use_navigate, use_params_map, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{FieldErrors, Hlc, Level, Org, OrgForm, OrgKind, Person, Place, RecordId};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::settings::Settings;
use crate::ui::widgets::{
    app_state, candidates, category_and_township, page_note, show_first_error, Choices, Field, PersonPicker, TextArea,
    TextInput, TownshipList, Undo,
};

#[component]
pub fn OrgEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || match params.with(|p| p.get("id")) {
        None => {
            let kind = query.with(|q| q.get("kind")).unwrap_or_else(|| OrgKind::Branch.key().into());
            let initial = OrgForm {
                kind,
                level: Level::Township.key().into(),
                township: Settings::load().township,
                ..OrgForm::default()
            };
            view! { <Editor id=None base=None initial=initial deleted=false/> }.into_any()
        }
        Some(text) => match RecordId::parse(&text) {
            Err(_) => page_note("error", "链接中的编号无效"),
            Ok(id) => {
                let found = data::record_once::<Org>(id.clone());
                view! {
                    {move || match found.get() {
                        Some(Ok(Some(o))) => view! {
                            <Editor id=Some(id.clone()) base=Some(o.updated) initial=OrgForm::from_org(&o.body) deleted=o.deleted/>
                        }.into_any(),
                        Some(Ok(None)) => page_note("error", "找不到这条记录"),
                        Some(Err(e)) => page_note("error", e.to_string()),
                        None => page_note("muted", "正在读取…"),
                    }}
                }
                .into_any()
            }
        },
    }
}

#[component]
fn Editor(id: Option<RecordId>, base: Option<Hlc>, initial: OrgForm, deleted: bool) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let editing = id.is_some();
    let people = data::resource::<Person>();
    let places = data::resource::<Place>();

    let kind = RwSignal::new(initial.kind);
    let name = RwSignal::new(initial.name);
    let level = RwSignal::new(initial.level);
    let township = RwSignal::new(initial.township);
    let leader = RwSignal::new(initial.leader.into_iter().collect::<Vec<_>>());
    let liaison = RwSignal::new(initial.liaison);
    let liaison_phone = RwSignal::new(initial.liaison_phone);
    let members = RwSignal::new(initial.members);
    let themes = RwSignal::new(initial.themes);
    let area = RwSignal::new(initial.area);
    let product = RwSignal::new(initial.product);
    let notes = RwSignal::new(initial.notes);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let k = move || OrgKind::from_key(&kind.get());

    let candidates = candidates(people, |p| p.is_living(), category_and_township);
    let township_names = Signal::derive(move || {
        places.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map_or_else(Vec::new, |v| v.iter().filter(|p| !p.deleted).map(|p| p.body.township.clone()).collect())
        })
    });

    let read = move || OrgForm {
        kind: kind.get(),
        name: name.get(),
        level: level.get(),
        township: township.get(),
        leader: leader.get().into_iter().next(),
        liaison: liaison.get(),
        liaison_phone: liaison_phone.get(),
        members: members.get(),
        themes: themes.get(),
        area: area.get(),
        product: product.get(),
        notes: notes.get(),
    };
    let fill = move |f: OrgForm| {
        kind.set(f.kind);
        name.set(f.name);
        level.set(f.level);
        township.set(f.township);
        leader.set(f.leader.into_iter().collect());
        liaison.set(f.liaison);
        liaison_phone.set(f.liaison_phone);
        members.set(f.members);
        themes.set(f.themes);
        area.set(f.area);
        product.set(f.product);
        notes.set(f.notes);
    };
    let of = DraftOf::record("org", "组织", "name", id.as_ref(), base, draft::here());
    let draft = draft::keep_form(of, read, fill);
    let changed = data::changed_since::<Org>(id.clone(), base);

    let save_id = id.clone();
    let save_draft = draft.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let form = untrack(read);
        let org = match form.validate() {
            Ok(o) => o,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        let (id, navigate, draft) = (save_id.clone(), navigate.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, org).await {
                Ok(r) => {
                    draft.finished().await;
                    state.say(format!("已保存 {}", r.body.name));
                    state.changed();
                    navigate(&format!("/orgs/{}", r.id), Default::default());
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };

    let delete_id = id.clone();
    let delete_draft = draft.clone();
    let on_delete = move |_| {
        let Some(id) = delete_id.clone() else { return };
        let draft = delete_draft.clone();
        busy.set(true);
        spawn_local(async move {
            match data::set_deleted::<Org>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.say(format!("已删除 {}（可在编辑页恢复）", r.body.name))
                }
                Err(e) => state.say(e.to_string()),
            }
            busy.set(false);
            state.changed();
        });
    };
    let restore_id = id.clone();
    let on_restore = move |_| {
        if let Some(id) = restore_id.clone() {
            data::undelete(state, Undo { store: Org::STORE, id, name: name.get_untracked() });
        }
    };

    view! {
        <section class="page">
            <h1>{if editing { "编辑组织" } else { "新建组织" }}</h1>
            {draft.changed_notice(changed)}
            {draft.notice()}
            {deleted.then(|| view! { <p class="warning">"此组织已删除，点“恢复”可找回。"</p> })}
            <TownshipList places=township_names/>
            <form class="form" on:submit=on_submit novalidate>
                <p class="form-hint">"带 * 的为必填项"</p>
                <Field label="类型" required=true error=error_of("kind")>
                    <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {OrgKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </Field>
                <TextInput label="名称" required=true value=name error=error_of("name") name="name"/>
                <Choices label="级别" required=true name="level" value=level error=error_of("level")
                    options=Level::ALL.iter().map(|l| (l.key(), l.label())).collect()/>
                <TextInput label="乡镇（街道）" value=township error=error_of("township") list="townships" name="township"/>
                <PersonPicker label=Signal::derive(move || k().map_or("负责人", |k| k.leader_label())) candidates=candidates selected=leader multiple=false/>
                <Show when=move || k().is_some_and(OrgKind::is_branch)>
                    <TextInput label="联络员（在职党员）" value=liaison/>
                    <TextInput label="联络员电话" value=liaison_phone error=error_of("liaison_phone") kind="tel" inputmode="tel"/>
                </Show>
                <Show when=move || k().is_some_and(OrgKind::is_team)>
                    <PersonPicker label="成员" candidates=candidates selected=members/>
                    <TextArea label="一月一主题（每行：年-月 主题）" value=themes error=error_of("themes") placeholder="2026-03 学雷锋志愿服务"/>
                </Show>
                <Show when=move || k().is_some_and(OrgKind::is_site)>
                    <TextInput label="片区（1+1+1 结对）" value=area/>
                    <TextInput label="产业" value=product placeholder="如：竹笋"/>
                </Show>
                <TextArea label="备注" value=notes/>
                <div class="form-actions sticky">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                    {(editing && !deleted).then(|| view! {
                        <button type="button" class="button danger" disabled=move || busy.get() on:click=on_delete.clone()>"删除"</button>
                    })}
                    {(editing && deleted).then(|| view! {
                        <button type="button" class="button" on:click=on_restore.clone()>"恢复"</button>
                    })}
                </div>
            </form>
        </section>
    }
}
