//! Add or edit an organisation; the form shows the fields its kind uses.

use leptos::prelude::*;

use crate::domain::{Level, Org, OrgForm, OrgKind, Person};
use crate::storage::Kind;
use crate::ui::data;
use crate::ui::form::{edit_page, field, id_pick, save_record, DeleteButton, Done, EditForm, Editor, Opening, ParamsMap};
use crate::ui::settings::Settings;
use crate::ui::widgets::{
    app_state, candidates, category_and_township, Choices, PersonPicker, TextArea, TextInput, TownshipList, Undo,
};

#[component]
pub fn OrgEdit() -> impl IntoView {
    let new = |q: &ParamsMap| {
        let kind = q.get("kind").unwrap_or_else(|| OrgKind::Branch.key().into());
        let (level, township) = (Level::Township.key().into(), Settings::load().township);
        let initial = OrgForm { kind, level, township, ..OrgForm::default() };
        view! { <Editor open=Opening::new(initial) deleted=false/> }.into_any()
    };
    edit_page::<Org>(true, new, |o| {
        view! { <Editor open=Opening::of(&o, OrgForm::from_org) deleted=o.deleted/> }.into_any()
    })
}

#[component]
fn Editor(open: Opening<OrgForm>, deleted: bool) -> impl IntoView {
    let (form, ed, changed) = Editor::open::<Org, _>(open, "org", "组织", "name");
    let (state, editing, id) = (app_state(), ed.editing(), ed.id());
    let people = data::resource::<Person>();
    let name = field!(form.name);
    let kind = field!(form.kind);
    let leader = id_pick(form, |f| &f.leader, |f| &mut f.leader);
    let k = move || OrgKind::from_key(&kind.get());

    let candidates = candidates(people, |p| p.is_living(), category_and_township);

    let save_id = id.clone();
    let on_save = move || {
        save_record(save_id.clone(), form.get_untracked().validate(), |r| {
            Done::leave(format!("已保存 {}", r.body.name), format!("/orgs/{}", r.id))
        })
    };
    let (delete_id, delete_ed) = (id.clone(), ed);
    let on_delete = move |()| {
        let Some(id) = delete_id.clone() else { return };
        delete_ed.finish(Box::pin(async move {
            let r = data::set_deleted::<Org>(&id, true).await.map_err(|e| e.to_string())?;
            Ok(Done::stay(format!("已删除 {}（可在编辑页恢复）", r.body.name)))
        }));
    };
    let restore_id = id.clone();
    let on_restore = move |_| {
        if let Some(id) = restore_id.clone() {
            data::undelete(state, Undo { store: Org::STORE, id, name: name.get_untracked() });
        }
    };
    let busy = ed.busy;
    let actions = move || {
        view! {
            {(editing && !deleted).then(|| view! {
                <DeleteButton on_delete=on_delete.clone() what="这个组织" disabled=busy/>
            })}
            {(editing && deleted).then(|| view! {
                <button type="button" class="button" on:click=on_restore.clone()>"恢复"</button>
            })}
        }
    };

    view! {
        <section class="page">
            <h1>{if editing { "编辑组织" } else { "新建组织" }}</h1>
            {deleted.then(|| view! { <p class="warning">"此组织已删除，点“恢复”可找回。"</p> })}
            <TownshipList/>
            <EditForm editor=ed changed=changed on_save=on_save actions=actions>
                <Choices label="类型" required=true menu=true name="kind" value=kind error=ed.error("kind")
                    options=OrgKind::ALL.iter().map(|k| (k.key(), k.label())).collect()/>
                <TextInput label="名称" required=true value=name error=ed.error("name") name="name"/>
                <Choices label="级别" required=true name="level" value=field!(form.level) error=ed.error("level")
                    options=Level::ALL.iter().map(|l| (l.key(), l.label())).collect()/>
                <TextInput label="乡镇（街道）" value=field!(form.township) error=ed.error("township") list="townships" name="township"/>
                <PersonPicker label=Signal::derive(move || k().map_or("负责人", |k| k.leader_label())) candidates=candidates selected=leader multiple=false/>
                <Show when=move || k().is_some_and(OrgKind::is_branch)>
                    <TextInput label="联络员（在职党员）" value=field!(form.liaison)/>
                    <TextInput label="联络员电话" value=field!(form.liaison_phone) error=ed.error("liaison_phone") kind="tel" inputmode="tel"/>
                </Show>
                <Show when=move || k().is_some_and(OrgKind::is_team)>
                    <PersonPicker label="成员" candidates=candidates selected=field!(form.members)/>
                    <TextArea label="一月一主题（每行：年-月 主题）" value=field!(form.themes) error=ed.error("themes") placeholder="2026-03 学雷锋志愿服务"/>
                </Show>
                <Show when=move || k().is_some_and(OrgKind::is_site)>
                    <TextInput label="片区（1+1+1 结对）" value=field!(form.area)/>
                    <TextInput label="产业" value=field!(form.product) placeholder="如：竹笋"/>
                </Show>
                <TextArea label="备注" value=field!(form.notes)/>
            </EditForm>
        </section>
    }
}
