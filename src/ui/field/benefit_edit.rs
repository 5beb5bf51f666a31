//! Record or edit a payment or service to a person; the amount is typed in yuan and kept as
//! exact fen.

use leptos::prelude::*;

use crate::domain::{Benefit, BenefitForm, BenefitKind, Category, Date, FieldErrors, Person, RecordId};
use crate::report::due::Campaign;
use crate::storage::web;
use crate::ui::data;
use crate::ui::form::{edit_page, field, id_pick, Done, EditForm, Editor, OnSave, Opening, ParamsMap, Pending};
use crate::ui::settings::Recent;
use crate::ui::shell::router::back_or;
use crate::ui::widgets::{candidates, category_and_township, Choices, PersonPicker, TextArea, TextInput};

#[component]
pub fn BenefitEdit() -> impl IntoView {
    let new = |q: &ParamsMap| {
        let recent = Recent::load().benefit_kind;
        let kind =
            q.get("kind").unwrap_or(if recent.is_empty() { BenefitKind::HolidayVisit.key().into() } else { recent });
        let person = q.get("person").and_then(|p| RecordId::parse(&p).ok());
        let initial = BenefitForm { kind, person, date: web::today().to_string(), ..BenefitForm::default() };
        // From 待办: the round of visits this records for, and the list to go back to.
        let round = q.get("round").and_then(|name| {
            Some(Campaign { name, from: q.get("from")?.parse().ok()?, to: q.get("to")?.parse().ok()? })
        });
        let back = back_or(q, "/log");
        view! { <Editor open=Opening::new(initial) round=round back=back/> }.into_any()
    };
    edit_page::<Benefit>(false, new, |r| view! { <Editor open=Opening::of(&r, BenefitForm::from_benefit)/> }.into_any())
}

#[component]
fn Editor(
    open: Opening<BenefitForm>,
    #[prop(default = None)] round: Option<Campaign>,
    #[prop(default = "/log".into())] back: String,
) -> impl IntoView {
    let (form, ed, changed) = Editor::open::<Benefit, _>(open, "benefit", "待遇发放", "amount");
    let people = data::resource::<Person>();
    let date = field!(form.date);
    let person = id_pick(form, |f| &f.person, |f| &mut f.person);

    // Registry people first; widow(er)s and 离休 cadres are who most benefits go to.
    let candidates = candidates(people, |p| p.category != Category::Other, category_and_township);

    // 保存, or 保存并继续: the next payment of the same kind on the same day, for someone else.
    let save_id = ed.id();
    let save = move |again: bool| -> Result<Pending, FieldErrors> {
        let f = form.get_untracked();
        let benefit = f.validate(web::today())?;
        Recent { benefit_kind: f.kind, ..Recent::load() }.save();
        let (id, back) = (save_id.clone(), back.clone());
        Ok(Box::pin(async move {
            let r = data::save(id, benefit).await.map_err(|e| e.to_string())?;
            if again {
                form.update(|f| {
                    f.person = None;
                    f.notes.clear();
                });
            }
            let said = format!("已保存 {} ¥{}", r.body.kind.label(), r.body.amount);
            Ok(if again { Done::stay(said) } else { Done::leave(said, back) })
        }))
    };
    let on_save = {
        let save = save.clone();
        move || save(false)
    };
    let actions = ed.again_action(!ed.editing(), OnSave::from(move || save(true)));

    view! {
        <section class="page">
            <h1>{if ed.editing() { "编辑待遇发放" } else { "记录待遇发放" }}</h1>
            {round.map(|c| {
                let (from, to) = (c.from, c.to);
                let outside = move || date.with(|d| d.parse::<Date>().is_ok_and(|d| d < from || d > to));
                let warning = format!("这个日期不在「{}」走访期间（{}），保存后不算这一轮的走访。", c.name, c.span());
                view! {
                    <p class="notice" data-test="round">{format!("记录「{}」走访慰问（{}）", c.name, c.span())}</p>
                    <Show when=outside>
                        <p class="warning" role="status" data-test="outside-round">{warning.clone()}</p>
                    </Show>
                }
            })}
            <EditForm editor=ed changed=changed on_save=on_save actions=actions>
                <Choices label="类型" required=true name="kind" value=field!(form.kind) error=ed.error("kind")
                    options=BenefitKind::ALL.iter().map(|k| (k.key(), k.label())).collect()/>
                <PersonPicker label="发放对象" required=true candidates=candidates selected=person multiple=false error=ed.error("person")/>
                <TextInput label="日期" required=true kind="date" max=web::today().to_string() name="date" value=date error=ed.error("date")/>
                <TextInput label="金额（元）" required=true value=field!(form.amount) error=ed.error("amount") inputmode="decimal" name="amount" placeholder="如 1234.56"/>
                <TextArea label="备注" value=field!(form.notes)/>
            </EditForm>
        </section>
    }
}
