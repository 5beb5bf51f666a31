//! Add or edit a person; soft delete with undo. Fields for widows, roles and the deceased
//! appear only where they apply.

use crate::ui::router::{use_navigate, use_params_map, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{
    Category, FieldErrors, Gender, Hlc, Org, OrgKind, Person, PersonForm, Place, RecordId, Role, WuLao,
};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::settings::Settings;
use crate::ui::widgets::{
    app_state, candidates, page_note, show_first_error, Check, Checks, Choices, Field, PersonPicker, TextArea,
    TextInput, TownshipList,
};

#[component]
pub fn PersonEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || match params.with(|p| p.get("id")) {
        None => {
            let category = query.with(|q| q.get("category")).unwrap_or_default();
            let initial = PersonForm { township: Settings::load().township, category, ..PersonForm::default() };
            view! { <Editor id=None base=None initial=initial deleted=false/> }.into_any()
        }
        Some(text) => match RecordId::parse(&text) {
            Err(_) => page_note("error", "链接中的编号无效"),
            Ok(rid) => view! { <Existing id=rid/> }.into_any(),
        },
    }
}

#[component]
fn Existing(id: RecordId) -> impl IntoView {
    let found = data::record_once::<Person>(id.clone());
    move || {
        match found.get() {
        None => page_note("muted", "正在读取…"),
        Some(Err(e)) => page_note("error", e.to_string()),
        Some(Ok(None)) => page_note("error", "找不到这条记录"),
        Some(Ok(Some(r))) => view! {
            <Editor id=Some(id.clone()) base=Some(r.updated) initial=PersonForm::from_person(&r.body) deleted=r.deleted/>
        }
        .into_any(),
    }
    }
}

fn keys<T: Copy>(items: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|&x| key(x)).collect()
}

#[component]
fn Editor(id: Option<RecordId>, base: Option<Hlc>, initial: PersonForm, deleted: bool) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let editing = id.is_some();
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let places = data::resource::<Place>();

    let name = RwSignal::new(initial.name);
    let gender = RwSignal::new(initial.gender);
    let birth_date = RwSignal::new(initial.birth_date);
    let category = RwSignal::new(initial.category);
    let township = RwSignal::new(initial.township);
    let village = RwSignal::new(initial.village);
    let former_unit = RwSignal::new(initial.former_unit);
    let post = RwSignal::new(initial.post);
    let party_member = RwSignal::new(initial.party_member);
    let branch = RwSignal::new(initial.branch.map(|b| b.to_string()).unwrap_or_default());
    let phone = RwSignal::new(initial.phone);
    let id_number = RwSignal::new(initial.id_number);
    let health = RwSignal::new(initial.health);
    let deceased = RwSignal::new(initial.deceased);
    let deceased_on = RwSignal::new(initial.deceased_on);
    let spouse = RwSignal::new(initial.spouse.into_iter().collect::<Vec<_>>());
    let no_work_income = RwSignal::new(initial.no_work_income);
    let wulao = RwSignal::new(keys(&initial.wulao, WuLao::key));
    let roles = RwSignal::new(keys(&initial.roles, Role::key));
    let specialties = RwSignal::new(initial.specialties);

    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let is_widow = move || category.with(|c| c == Category::Widow.key());

    // Widow(er)s link to a 离休 cadre, usually deceased.
    let lixiu = candidates(
        people,
        |p| p.category == Category::Lixiu,
        |p| format!("{} {}", p.township, if p.is_living() { "" } else { "已故" }),
    );
    let branches = move || {
        orgs.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |v| {
                v.iter()
                    .filter(|o| !o.deleted && o.body.kind == OrgKind::Branch)
                    .map(|o| (o.id.to_string(), o.body.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let township_names = Signal::derive(move || {
        places.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map_or_else(Vec::new, |v| v.iter().filter(|p| !p.deleted).map(|p| p.body.township.clone()).collect())
        })
    });

    let read = move || PersonForm {
        name: name.get(),
        gender: gender.get(),
        birth_date: birth_date.get(),
        category: category.get(),
        township: township.get(),
        village: village.get(),
        former_unit: former_unit.get(),
        post: post.get(),
        party_member: party_member.get(),
        branch: RecordId::parse(&branch.get()).ok(),
        phone: phone.get(),
        id_number: id_number.get(),
        health: health.get(),
        deceased: deceased.get(),
        deceased_on: deceased_on.get(),
        spouse: spouse.get().into_iter().next(),
        no_work_income: no_work_income.get(),
        wulao: wulao.get().into_iter().filter_map(WuLao::from_key).collect(),
        roles: roles.get().into_iter().filter_map(Role::from_key).collect(),
        specialties: specialties.get(),
    };
    let fill = move |f: PersonForm| {
        name.set(f.name);
        gender.set(f.gender);
        birth_date.set(f.birth_date);
        category.set(f.category);
        township.set(f.township);
        village.set(f.village);
        former_unit.set(f.former_unit);
        post.set(f.post);
        party_member.set(f.party_member);
        branch.set(f.branch.map(|b| b.to_string()).unwrap_or_default());
        phone.set(f.phone);
        id_number.set(f.id_number);
        health.set(f.health);
        deceased.set(f.deceased);
        deceased_on.set(f.deceased_on);
        spouse.set(f.spouse.into_iter().collect());
        no_work_income.set(f.no_work_income);
        wulao.set(keys(&f.wulao, WuLao::key));
        roles.set(keys(&f.roles, Role::key));
        specialties.set(f.specialties);
    };
    let of = DraftOf::record("person", "人员", "name", id.as_ref(), base, draft::here());
    let draft = draft::keep_form(of, read, fill);
    let changed = data::changed_since::<Person>(id.clone(), base);

    let save_id = id.clone();
    let save_nav = navigate.clone();
    let save_draft = draft.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let form = untrack(read);
        let person = match form.validate(web::today()) {
            Ok(p) => p,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        let (id, navigate, draft) = (save_id.clone(), save_nav.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, person).await {
                Ok(r) => {
                    draft.finished().await;
                    state.say(format!("已保存 {}", r.body.name));
                    state.changed();
                    navigate(&format!("/people/{}", r.id), Default::default());
                }
                Err(e) => {
                    // The form keeps what was typed; nothing was written.
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
        let (navigate, draft) = (navigate.clone(), delete_draft.clone());
        busy.set(true);
        spawn_local(async move {
            match data::set_deleted::<Person>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.deleted::<Person>(r.id, &r.body.name);
                    navigate("/people", Default::default());
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <section class="page">
            <h1>{if editing { "编辑人员" } else { "登记人员" }}</h1>
            {draft.changed_notice(changed)}
            {draft.notice()}
            {deleted.then(|| view! { <p class="warning">"此记录已删除。保存修改不会恢复它；请在名册的“已删除”中恢复。"</p> })}
            <TownshipList places=township_names/>
            <form class="form" on:submit=on_submit novalidate>
                <p class="form-hint">"带 * 的为必填项"</p>
                <TextInput label="姓名" required=true value=name error=error_of("name") name="name"/>
                <Choices label="性别" required=true name="gender" value=gender error=error_of("gender")
                    options=Gender::ALL.iter().map(|g| (g.key(), g.label())).collect()/>
                <Choices label="类别" required=true name="category" value=category error=error_of("category")
                    options=Category::ALL.iter().map(|c| (c.key(), c.label())).collect()/>
                <Field label="出生日期" required=true error=error_of("birth_date")>
                    <input type="text" inputmode="numeric" name="birth_date" autocomplete="off" placeholder="如 19480312 或 1948-03-12"
                        prop:value=move || birth_date.get() on:input=move |ev| birth_date.set(event_target_value(&ev))/>
                </Field>
                <TextInput label="乡镇（街道）" required=true value=township error=error_of("township") list="townships" name="township"/>
                <TextInput label="村（社区）" value=village error=error_of("village")/>
                <TextInput label="联系电话" value=phone error=error_of("phone") kind="tel" inputmode="tel"/>
                <Show when=is_widow>
                    <section class="group">
                        <h2>"遗孀信息"</h2>
                        <PersonPicker label="已故离休干部" candidates=lixiu selected=spouse multiple=false/>
                        <Check label="无工作（无工作收入）" value=no_work_income/>
                    </section>
                </Show>
                <section class="group">
                    <h2>"工作与党组织"</h2>
                    <TextInput label="原工作单位" value=former_unit error=error_of("former_unit")/>
                    <TextInput label="原职务" value=post error=error_of("post")/>
                    <Check label="中共党员" value=party_member/>
                    <label class="field">
                        <span class="field-label">"所属党支部"</span>
                        <select aria-label="所属党支部" prop:value=move || branch.get() on:change=move |ev| branch.set(event_target_value(&ev))>
                            <option value="">"（未编入支部）"</option>
                            // The options arrive after the select's value was set: each says whether it is the one.
                            {move || branches().into_iter().map(|(id, n)| { let on = branch.with_untracked(|v| *v == id); view! { <option value=id selected=on>{n}</option> } }).collect_view()}
                        </select>
                    </label>
                </section>
                <section class="group">
                    <h2>"志愿服务"</h2>
                    <Checks label="五老" value=wulao options=WuLao::ALL.iter().map(|w| (w.key(), w.label())).collect()/>
                    <Checks label="角色" value=roles options=Role::ALL.iter().map(|r| (r.key(), r.label())).collect()/>
                    <TextInput label="专长（教师填写授课方向）" value=specialties error=error_of("specialties") placeholder="如：政策、健康、园艺"/>
                </section>
                <section class="group">
                    <h2>"其他"</h2>
                    <TextInput label="身份证号（选填）" value=id_number error=error_of("id_number") name="id_number"/>
                    <TextArea label="健康状况" value=health error=error_of("health")/>
                    <Check label="已去世" value=deceased/>
                    <Show when=move || deceased.get()>
                        <Field label="去世日期" error=error_of("deceased_on")>
                            <input type="text" inputmode="numeric" name="deceased_on" autocomplete="off" placeholder="如 20240105"
                                prop:value=move || deceased_on.get() on:input=move |ev| deceased_on.set(event_target_value(&ev))/>
                        </Field>
                    </Show>
                </section>
                <div class="form-actions sticky">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                    {(editing && !deleted).then(|| view! {
                        <button type="button" class="button danger" disabled=move || busy.get() on:click=on_delete.clone()>"删除"</button>
                    })}
                </div>
            </form>
        </section>
    }
}
